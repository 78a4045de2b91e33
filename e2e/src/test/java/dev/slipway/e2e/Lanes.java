package dev.slipway.e2e;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The e2e suite runs three test classes at a time (junit-platform.properties), each in a lane: a
 * shared cluster that only one class uses at once, named by its {@code @ResourceLock} and by the
 * cluster it asks {@code SharedClusters} for. There are two real nodes, each on its own control
 * plane: TraefikE2ETest, the longest class, holds the first; the install and node classes the
 * second. The KWOK classes are split over two KWOK clusters, so that two of them can run side by
 * side, each with its own controller; the API-server-only classes share a fifth. A class whose lane
 * is held waits for it (the lock) and never runs beside its own lane's cluster; the pool lends
 * another thread meanwhile (max-pool-size), so a waiting class costs no lane its thread.
 *
 * <p>Two gates keep the real-traffic scenarios from sharing the machine with what distorts them
 * (ci44, ci45: requests timed out during the adoption under load): TraefikE2ETest starts its
 * traffic once the benchmarks are done ({@link #awaitBenchmarks}), and the install starts once
 * TraefikE2ETest's adoption under load is done ({@link #awaitAdoption}). Both waits tell the pool
 * they block, so it keeps three classes running.
 */
public final class Lanes {
  /** A local control plane with a real node (kubelet, containerd, runc, CNI): Traefik's. */
  public static final String REAL_NODE = "real-node";

  /** A second local control plane with its own real node: the install's and the node's. */
  public static final String REAL_NODE_B = "real-node-b";

  public static final String KWOK_A = "kwok-a";
  public static final String KWOK_B = "kwok-b";
  public static final String API_ONLY = "api-only";

  private static final CountDownLatch adopted = new CountDownLatch(1);

  /** TraefikE2ETest's adoption under load is over (passed or not). */
  public static void adoptionDone() {
    adopted.countDown();
  }

  /**
   * Waits until TraefikE2ETest's adoption under load is over, when that class is in this run; at
   * most {@code bound}. Returns how long it waited.
   */
  public static Duration awaitAdoption(Duration bound) {
    if (!SuitePlan.runs("dev.slipway.e2e.gateway.TraefikE2ETest")) return Duration.ZERO;
    return block(bound, () -> adopted.getCount() == 0);
  }

  /**
   * Waits until the benchmarks .ci/run started beside the build are done ({@code
   * $SLIPWAY_BENCH_DONE} names the file they leave), at most {@code bound}; at once without it.
   * Returns how long it waited.
   */
  public static Duration awaitBenchmarks(Duration bound) {
    String done = System.getenv("SLIPWAY_BENCH_DONE");
    if (done == null || done.isBlank()) return Duration.ZERO;
    return block(bound, () -> Files.exists(Path.of(done)));
  }

  /** Blocks as the fork-join pool expects of a blocked worker, so that it lends another thread. */
  private static Duration block(Duration bound, BooleanSupplier ready) {
    long t0 = System.nanoTime();
    long deadline = t0 + bound.toNanos();
    try {
      ForkJoinPool.managedBlock(
          new ForkJoinPool.ManagedBlocker() {
            @Override
            public boolean block() throws InterruptedException {
              if (!isReleasable()) TimeUnit.MILLISECONDS.sleep(500);
              return isReleasable();
            }

            @Override
            public boolean isReleasable() {
              return ready.getAsBoolean() || System.nanoTime() > deadline;
            }
          });
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return Duration.ofNanos(System.nanoTime() - t0);
  }

  private Lanes() {}
}
