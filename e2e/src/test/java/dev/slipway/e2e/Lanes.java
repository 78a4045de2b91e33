package dev.slipway.e2e;

/**
 * The e2e suite runs three test classes at a time (junit-platform.properties), each in a lane: a
 * shared cluster that only one class uses at once, named by its {@code @ResourceLock} and by the
 * cluster it asks {@code SharedClusters} for. The real node is one; the KWOK classes are split over
 * two KWOK clusters, so that two of them can run side by side, each with its own controller; the
 * API-server-only classes share a fourth. Classes are ordered (@Order): the real node's lane, the
 * longest, starts first and holds one thread throughout; the other two threads take the API
 * server's classes, those without a lane and the two KWOK lanes, so that the lanes end together. A
 * class whose lane is held waits for it (the lock), never runs beside its own lane's cluster.
 */
public final class Lanes {
  /**
   * The local control plane with the real node (kubelet, containerd, runc, CNI): one in the suite.
   */
  public static final String REAL_NODE = "real-node";

  public static final String KWOK_A = "kwok-a";
  public static final String KWOK_B = "kwok-b";
  public static final String API_ONLY = "api-only";

  private Lanes() {}
}
