package dev.slipway.e2e.cluster;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;

/** A Kubernetes API to test against, whoever provides it. */
public interface Cluster extends AutoCloseable {
  /** A short name saying which provider this is, printed by every suite. */
  String describe();

  /** A client with cluster-admin rights, for fixtures. */
  KubernetesClient admin();

  /** A kubeconfig file for cluster-admin, for real kubectl. */
  Path adminKubeconfig();

  /** Whether pods become Ready (a scheduler and nodes exist), or only the API is served. */
  boolean runsPods();

  /**
   * Whether pods are containerless (KWOK): any image name becomes Ready, and the sample app runs as
   * local processes instead. Scenarios written for that skip on real-container clusters.
   */
  boolean fakePods();

  /**
   * A kubeconfig for another identity on this cluster, e.g. the controller's ServiceAccount token.
   */
  Path kubeconfigFor(String user, String token);

  /** A scratch directory for logs and generated files. */
  Path dir();

  @Override
  void close();
}
