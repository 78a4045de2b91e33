package dev.slipway.controller.reconcile;

import dev.slipway.controller.kube.ClusterReads;
import dev.slipway.controller.kube.Labels;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes to a workload named by spec.workloadRef: an adopted Deployment's replica count, through
 * the scale subresource, a StatefulSet's partition, and a DaemonSet's template on rollback; nothing
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

  /**
   * The partition alone, server-side applied as Slipway's field: Argo CD's diff leaves out a field
   * its manifest does not set (client-side apply compares its last-applied configuration,
   * server-side diff the fields Argo CD manages), so holding it shows no drift as long as Git does
   * not set it; pinned to the resourceVersion read, so a template applied meanwhile is looked at
   * first.
   */
  /**
   * The pod template a ControllerRevision of the DaemonSet holds, written into the DaemonSet by an
   * update pinned to the resourceVersion read (a template applied meanwhile is looked at first);
   * the one write of its template Slipway makes, for a rollback or a retry. Null when written (or
   * already there), else why not.
   */
  String writeTemplate(String namespace, String name, String revision) {
    DaemonSet live = client.apps().daemonSets().inNamespace(namespace).withName(name).get();
    if (live == null) return "DaemonSet " + namespace + "/" + name + " does not exist";
    PodTemplateSpec template = null;
    for (ControllerRevision cr : DaemonSets.revisions(ClusterReads.direct(client), live)) {
      if (revision.equals(DaemonSets.hash(cr))) template = templateOf(cr);
    }
    if (template == null) {
      return "DaemonSet "
          + namespace
          + "/"
          + name
          + " keeps no ControllerRevision with a template for "
          + revision;
    }
    live.getSpec().setTemplate(template);
    client.resource(live).update();
    return null;
  }

  /**
   * A DaemonSet ControllerRevision's data is the patch its controller would apply:
   * {"spec":{"template":{..., "$patch":"replace"}}}.
   */
  static PodTemplateSpec templateOf(ControllerRevision cr) {
    Object data = cr.getData();
    Map<?, ?> root =
        data instanceof Map<?, ?> m
            ? m
            : Serialization.unmarshal(Serialization.asJson(data), Map.class);
    Object spec = root == null ? null : root.get("spec");
    Object template = spec instanceof Map<?, ?> sm ? sm.get("template") : null;
    if (!(template instanceof Map<?, ?> t)) return null;
    Map<Object, Object> copy = new LinkedHashMap<>(t);
    copy.remove("$patch");
    return Serialization.unmarshal(Serialization.asJson(copy), PodTemplateSpec.class);
  }

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
