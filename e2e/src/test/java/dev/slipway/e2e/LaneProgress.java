package dev.slipway.e2e;

import dev.slipway.testing.ClassTimeline;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Announces the quiet window ({@link QuietWindow}) when every test class outside the real node's
 * lane has finished while a real-node class is still to run: from then on the suite keeps one
 * thread busy, and the benchmarks take the rest of the machine instead of running after the tests.
 * Registered through META-INF/services.
 */
public final class LaneProgress implements TestExecutionListener {
  private final Set<String> others = new HashSet<>();
  private final Set<String> realNode = new HashSet<>();

  @Override
  public synchronized void testPlanExecutionStarted(TestPlan plan) {
    for (TestIdentifier root : plan.getRoots()) {
      for (TestIdentifier id : plan.getDescendants(root)) {
        String name = className(id);
        if (name == null) continue;
        (onRealNode(name) ? realNode : others).add(id.getUniqueId());
      }
    }
  }

  @Override
  public void executionFinished(TestIdentifier id, TestExecutionResult result) {
    done(id);
  }

  /** A disabled class never starts nor finishes: it is done all the same. */
  @Override
  public void executionSkipped(TestIdentifier id, String reason) {
    done(id);
  }

  private synchronized void done(TestIdentifier id) {
    if (className(id) == null) return;
    boolean wasOther = others.remove(id.getUniqueId());
    realNode.remove(id.getUniqueId());
    if (wasOther && others.isEmpty() && !realNode.isEmpty()) {
      QuietWindow.begins("when only the real node's lane was left");
    }
  }

  private static String className(TestIdentifier id) {
    return ClassTimeline.className(id).orElse(null);
  }

  static boolean onRealNode(String className) {
    try {
      Class<?> c = Class.forName(className, false, LaneProgress.class.getClassLoader());
      for (ResourceLock lock : c.getAnnotationsByType(ResourceLock.class)) {
        if (Lanes.REAL_NODE.equals(lock.value())) return true;
      }
      return false;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }
}
