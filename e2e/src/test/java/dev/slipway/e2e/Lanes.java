package dev.slipway.e2e;

/**
 * The e2e suite runs four test classes at a time (junit-platform.properties), each in a lane: a
 * shared cluster that only one class uses at once, named by its {@code @ResourceLock} and by the
 * cluster it asks {@code SharedClusters} for. There are two real nodes, each on its own control
 * plane: TraefikE2ETest, the longest class, holds the first; the install and node classes the
 * second. The KWOK classes are split over two KWOK clusters, so that two of them can run side by
 * side, each with its own controller; the API-server-only classes share a fifth. Classes are
 * ordered (@Order): TraefikE2ETest, the longest, starts first and holds a thread throughout; the
 * other threads take the API server's classes, those without a lane and the two KWOK lanes, and
 * InstallE2ETest last, so that its API-server outage comes with those done and the lanes end
 * together. A class whose lane is held waits for it (the lock), never runs beside its own lane's
 * cluster.
 */
public final class Lanes {
  /** A local control plane with a real node (kubelet, containerd, runc, CNI): Traefik's. */
  public static final String REAL_NODE = "real-node";

  /** A second local control plane with its own real node: the install's and the node's. */
  public static final String REAL_NODE_B = "real-node-b";

  public static final String KWOK_A = "kwok-a";
  public static final String KWOK_B = "kwok-b";
  public static final String API_ONLY = "api-only";

  /** Set when TraefikE2ETest has finished (its load generator and gateway are down). */
  private static volatile boolean traefikDone;

  /** TraefikE2ETest is done with its real node. */
  public static void traefikDone() {
    traefikDone = true;
  }

  /**
   * Whether the real-traffic scenarios have finished: the benchmarks must not start beside them
   * (CPU they take is latency those scenarios measure).
   */
  public static boolean trafficScenariosDone() {
    return traefikDone;
  }

  private Lanes() {}
}
