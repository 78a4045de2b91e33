package dev.slipway.controller.reconcile;

import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * Writes to an adopted workload: its replica count, through the scale subresource, and nothing
 * else.
 */
public final class Workloads {
  private final KubernetesClient client;

  public Workloads(KubernetesClient client) {
    this.client = client;
  }

  void scaleDeployment(String namespace, String name, int replicas) {
    client.apps().deployments().inNamespace(namespace).withName(name).scale(replicas);
  }
}
