package dev.slipway.controller.reconcile;

import dev.slipway.api.v1alpha1.WorkloadRef;
import dev.slipway.controller.kube.ClusterReads;
import dev.slipway.controller.kube.Labels;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Writes to a workload named by spec.workloadRef: an adopted Deployment's replica count, through
 * the scale subresource, a StatefulSet's partition, and a DaemonSet's or StatefulSet's template on
 * rollback; nothing else.
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
   * The pod template a ControllerRevision of the DaemonSet or StatefulSet holds, written into it by
   * an update pinned to the resourceVersion read (a template applied meanwhile is looked at first);
   * the one write of a template Slipway makes, for a rollback. Null when written, else why not.
   */
  String writeTemplate(String namespace, WorkloadRef.Kind kind, String name, String revision) {
    Restorable w =
        kind == WorkloadRef.Kind.StatefulSet
            ? statefulSet(namespace, name)
            : daemonSet(namespace, name);
    String it = kind + " " + namespace + "/" + name;
    if (w == null) return it + " does not exist";
    PodTemplateSpec template =
        w.revisions().stream()
            .filter(cr -> revision.equals(w.revisionOf().apply(cr)))
            .map(Workloads::templateOf)
            .filter(Objects::nonNull)
            .findFirst()
            .orElse(null);
    if (template == null)
      return it + " keeps no ControllerRevision with a template for " + revision;
    w.setTemplate().accept(template);
    client.resource(w.live()).update();
    return null;
  }

  /**
   * A workload as read now, with its ControllerRevisions, how it names a revision, and where its
   * template goes.
   */
  private record Restorable(
      HasMetadata live,
      List<ControllerRevision> revisions,
      Function<ControllerRevision, String> revisionOf,
      Consumer<PodTemplateSpec> setTemplate) {}

  /** A StatefulSet names a revision by its ControllerRevision's name. */
  private Restorable statefulSet(String namespace, String name) {
    StatefulSet sts = client.apps().statefulSets().inNamespace(namespace).withName(name).get();
    if (sts == null) return null;
    return new Restorable(
        sts,
        StatefulSets.revisions(ClusterReads.direct(client), sts),
        cr -> cr.getMetadata().getName(),
        sts.getSpec()::setTemplate);
  }

  /** A DaemonSet names a revision by the hash its pods carry (see {@link DaemonSets#hash}). */
  private Restorable daemonSet(String namespace, String name) {
    DaemonSet ds = client.apps().daemonSets().inNamespace(namespace).withName(name).get();
    if (ds == null) return null;
    return new Restorable(
        ds,
        DaemonSets.revisions(ClusterReads.direct(client), ds),
        DaemonSets::hash,
        ds.getSpec()::setTemplate);
  }

  /**
   * A DaemonSet's or StatefulSet's ControllerRevision data is the patch its controller would apply:
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
