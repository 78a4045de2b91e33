package dev.slipway.e2e.cluster;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The clusters one test JVM shares between its test classes, because starting one is the most
 * expensive thing a class does: a cluster with nodes (KWOK on the local control plane, or whatever
 * {@link Clusters} picks), an API server alone, and the local control plane with the real node.
 * Each is started on first use and stopped when the JVM exits; the first two are prepared once
 * ({@link Stacks#prepare}: CRDs, Gateway API, the shipped RBAC). A class takes a {@link
 * ClusterLease}; closing it deletes what the class created, never the cluster.
 */
public final class SharedClusters {
  private static final Map<String, Cluster> withNodes = new HashMap<>();
  private static final Map<String, LocalControlPlane> realNodes = new HashMap<>();
  private static Cluster apiOnly;

  private SharedClusters() {}

  /**
   * The shared cluster of this name whose pods become Ready (KWOK here), prepared. Two names are
   * two clusters, so that two test classes can each run their own controller side by side.
   */
  public static synchronized ClusterLease withNodes(String name) {
    Cluster c = started(withNodes.get(name), () -> Stacks.prepare(Clusters.withNodes()));
    withNodes.put(name, c);
    return new ClusterLease(c, false);
  }

  /** The shared API-server-only cluster (no controllers, scheduler or nodes), prepared. */
  public static synchronized ClusterLease apiOnly() {
    apiOnly = started(apiOnly, () -> Stacks.prepare(Clusters.apiOnly()));
    return new ClusterLease(apiOnly, false);
  }

  /**
   * The shared local control plane of this name with a real node (kubelet, containerd, runc, CNI).
   * Two names are two planes, each with its own node, bridge, containerd and cgroup root, so that
   * two of the longest classes can run side by side. Not prepared: its classes install Slipway as
   * users do (helm, kustomize), and each removes its install before it returns the lease.
   */
  public static synchronized ClusterLease realNode(String name) {
    LocalControlPlane cp = realNodes.get(name);
    if (cp == null) {
      long t0 = System.nanoTime();
      cp = LocalControlPlane.withRealNode();
      realNodes.put(name, cp);
      System.out.printf(
          "shared cluster %s up in %d ms: %s%n",
          name, (System.nanoTime() - t0) / 1_000_000, cp.describe());
    }
    return new ClusterLease(cp, true);
  }

  private static Cluster started(Cluster existing, Supplier<Cluster> start) {
    if (existing != null) {
      return existing;
    }
    long t0 = System.nanoTime();
    Cluster c = start.get();
    // A shared cluster that is not ours to stop (an existing one) is closed like the rest: its
    // client only.
    Runtime.getRuntime().addShutdownHook(new Thread(c::close, "shared-cluster-teardown"));
    System.out.printf(
        "shared cluster up and prepared in %d ms: %s%n",
        (System.nanoTime() - t0) / 1_000_000, c.describe());
    return c;
  }
}
