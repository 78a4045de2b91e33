package dev.slipway.e2e;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Which test classes this run holds (registered with the launcher through META-INF/services), so
 * that a class waits for another only when that one runs: a filtered run (-Dtest=InstallE2ETest)
 * waits for nothing.
 */
public final class SuitePlan implements TestExecutionListener {
  private static final Set<String> classes = ConcurrentHashMap.newKeySet();

  /** Whether the class of this name is in the run. */
  static boolean runs(String className) {
    return classes.contains(className);
  }

  @Override
  public void testPlanExecutionStarted(TestPlan plan) {
    plan.getRoots().forEach(root -> add(plan, root));
  }

  private static void add(TestPlan plan, TestIdentifier id) {
    id.getSource()
        .filter(ClassSource.class::isInstance)
        .ifPresent(s -> classes.add(((ClassSource) s).getClassName()));
    plan.getChildren(id).forEach(child -> add(plan, child));
  }
}
