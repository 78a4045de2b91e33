package dev.slipway.e2e;

/**
 * The e2e suite runs two test classes at a time (junit-platform.properties), each in a lane: a
 * shared cluster that only one class uses at once, named by its {@code @ResourceLock} and by the
 * cluster it asks {@code SharedClusters} for. The real node is one; the KWOK classes are split
 * over two KWOK clusters, so that two of them can run side by side, each with its own controller;
 * the API-server-only classes share a third. Classes are ordered (@Order): one thread takes them
 * from the front (the real node's, the longest lane, then the API server's and those without a
 * lane, then KWOK-A's), the other from the back (KWOK-B's, the lightest first while the real
 * node's set-up runs under load, then KWOK-A's from its end), so they meet late, in one lane.
 */
public final class Lanes {
  /** The local control plane with the real node (kubelet, containerd, runc, CNI): one per machine. */
  public static final String REAL_NODE = "real-node";
  public static final String KWOK_A = "kwok-a";
  public static final String KWOK_B = "kwok-b";
  public static final String API_ONLY = "api-only";

  private Lanes() {}
}
