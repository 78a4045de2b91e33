package dev.slipway.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * When each test class started and ended, in seconds since its JVM started, and on which thread:
 * written to target/test-timeline.txt of the module that ran them, so that a run's critical path
 * (which lane held the e2e suite's end, which thread waited on a lock) can be read after it, not
 * guessed from the per-class times Surefire reports. Registered through META-INF/services beside
 * {@link ScaledTimeouts}.
 */
public final class ClassTimeline implements TestExecutionListener {
  private final Map<String, double[]> started = new ConcurrentHashMap<>();
  private final Map<String, String> threads = new ConcurrentHashMap<>();
  private final List<String> lines = new ArrayList<>();

  private static double now() {
    return ManagementFactory.getRuntimeMXBean().getUptime() / 1000.0;
  }

  /** The test class a container stands for; empty for methods, engines and the like. */
  public static Optional<String> className(TestIdentifier id) {
    if (!id.isContainer()) return Optional.empty();
    return id.getSource()
        .filter(ClassSource.class::isInstance)
        .map(s -> ((ClassSource) s).getClassName());
  }

  private static boolean isClass(TestIdentifier id) {
    return className(id).isPresent();
  }

  @Override
  public void executionStarted(TestIdentifier id) {
    if (!isClass(id)) return;
    started.put(id.getUniqueId(), new double[] {now()});
    threads.put(id.getUniqueId(), Thread.currentThread().getName());
  }

  @Override
  public void executionFinished(TestIdentifier id, TestExecutionResult result) {
    if (!isClass(id)) return;
    double[] from = started.remove(id.getUniqueId());
    if (from == null) return;
    String name = className(id).orElseThrow();
    synchronized (lines) {
      lines.add(
          String.format(
              Locale.ROOT,
              "%8.1f %8.1f %8.1f  %-8s %-28s %s",
              from[0],
              now(),
              now() - from[0],
              result.getStatus(),
              threads.remove(id.getUniqueId()),
              name));
    }
  }

  @Override
  public void testPlanExecutionFinished(TestPlan plan) {
    List<String> sorted;
    synchronized (lines) {
      if (lines.isEmpty()) return;
      sorted = new ArrayList<>(lines);
    }
    sorted.sort(null);
    sorted.add(0, "# start, end, seconds (since the JVM started), result, thread, class");
    Path target = Path.of("target");
    if (!Files.isDirectory(target)) return;
    try {
      Files.write(target.resolve("test-timeline.txt"), sorted);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
