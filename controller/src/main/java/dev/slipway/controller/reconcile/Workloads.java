package dev.slipway.controller.reconcile;

import dev.slipway.controller.kube.Labels;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * Writes to a workload named by spec.workloadRef: an adopted Deployment's replica count, through
 * the scale subresource, and a StatefulSet's partition; nothing else.
 */
public final class Workloads {
  private final KubernetesClient client;

  public Workloads(KubernetesClient client) {
    this.client = client;
  }

  void scaleDeployment(String namespace, String name, int replicas) {
    client.apps().deployments().inNamespace(namespace).withName(name).scale(replicas);
  }

  /**
   * The partition alone, server-side applied as Slipway's field: Argo CD's diff leaves out a field
   * its manifest does not set (client-side apply compares its last-applied configuration,
   * server-side diff the fields Argo CD manages), so holding it shows no drift as long as Git does
   * not set it; pinned to the resourceVersion read, so a template applied meanwhile is looked at
   * first.
   */
  void setPartition(String namespace, String name, int partition) {
    StatefulSet live = client.apps().statefulSets().inNamespace(namespace).withName(name).get();
    if (live == null || partition == StatefulSets.partition(live)) return;
    StatefulSet patch =
        new StatefulSetBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(namespace)
            .withResourceVersion(live.getMetadata().getResourceVersion())
            .endMetadata()
            .withNewSpec()
            .withNewUpdateStrategy()
            .withNewRollingUpdate()
            .withPartition(partition)
            .endRollingUpdate()
            .endUpdateStrategy()
            .endSpec()
            .build();
    client.resource(patch).fieldManager(Labels.FIELD_MANAGER).forceConflicts().serverSideApply();
  }
}
