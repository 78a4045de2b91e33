package dev.slipway.controller.kube;

import dev.slipway.api.v1alpha1.Rollout;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The Rollout's ReplicaSets: one per revision, named by pod-template hash, owned by the Rollout.
 */
public final class ReplicaSets {
  private final KubernetesClient client;
  private final ClusterReads reads;

  public ReplicaSets(KubernetesClient client) {
    this(client, ClusterReads.direct(client));
  }

  public ReplicaSets(KubernetesClient client, ClusterReads reads) {
    this.client = client;
    this.reads = reads;
  }

  public static String name(Rollout r, String revision) {
    return r.getMetadata().getName() + "-" + revision;
  }

  /** The ReplicaSets this Rollout owns, by revision. */
  public Map<String, ReplicaSet> owned(Rollout r) {
    Map<String, ReplicaSet> out = new HashMap<>();
    for (ReplicaSet rs : reads.replicaSets(r)) {
      boolean ours =
          rs.getMetadata().getOwnerReferences() != null
              && rs.getMetadata().getOwnerReferences().stream()
                  .anyMatch(
                      o ->
                          r.getMetadata().getUid() != null
                              && r.getMetadata().getUid().equals(o.getUid()));
      String rev = rs.getMetadata().getLabels().get(Labels.POD_TEMPLATE_HASH);
      if (ours && rev != null) {
        out.put(rev, rs);
      }
    }
    return out;
  }

  /** Creates the ReplicaSet of the desired revision from spec.template. */
  public void create(Rollout r, String revision, int replicas) {
    PodTemplateSpec t =
        new PodTemplateSpecBuilder(r.getSpec().template())
            .editOrNewMetadata()
            .addToLabels(Labels.POD_TEMPLATE_HASH, revision)
            .addToLabels(Labels.ROLLOUT, r.getMetadata().getName())
            .endMetadata()
            .build();
    LabelSelector sel =
        new LabelSelectorBuilder(r.getSpec().selector())
            .addToMatchLabels(Labels.POD_TEMPLATE_HASH, revision)
            .build();
    ReplicaSet rs =
        new ReplicaSetBuilder()
            .withNewMetadata()
            .withName(name(r, revision))
            .withNamespace(r.getMetadata().getNamespace())
            .addToLabels(Labels.ROLLOUT, r.getMetadata().getName())
            .addToLabels(Labels.POD_TEMPLATE_HASH, revision)
            .withOwnerReferences(owner(r))
            .endMetadata()
            .withNewSpec()
            .withReplicas(replicas)
            .withSelector(sel)
            .withTemplate(t)
            .endSpec()
            .build();
    try {
      client.apps().replicaSets().resource(rs).create();
    } catch (KubernetesClientException e) {
      // Created by an earlier pass that a lagging cache has not shown yet: the same name and
      // template, so done.
      if (e.getCode() != 409) throw e;
    }
  }

  public void scale(ReplicaSet rs, int replicas) {
    client
        .apps()
        .replicaSets()
        .inNamespace(rs.getMetadata().getNamespace())
        .withName(rs.getMetadata().getName())
        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"replicas\":" + replicas + "}}");
  }

  /**
   * Deletes scaled-down ReplicaSets beyond {@code keep}, oldest first, never the live revisions.
   */
  public void prune(
      Rollout r, Map<String, ReplicaSet> owned, int keep, String stable, String canary) {
    List<ReplicaSet> idle =
        owned.entrySet().stream()
            .filter(e -> !e.getKey().equals(stable) && !e.getKey().equals(canary))
            .map(Map.Entry::getValue)
            .filter(rs -> rs.getSpec().getReplicas() != null && rs.getSpec().getReplicas() == 0)
            .sorted(Comparator.comparing((ReplicaSet rs) -> created(rs.getMetadata())).reversed())
            .toList();
    for (ReplicaSet rs : idle.subList(Math.min(keep, idle.size()), idle.size())) {
      client.apps().replicaSets().resource(rs).delete();
    }
  }

  private static String created(ObjectMeta m) {
    return m.getCreationTimestamp() == null ? "" : m.getCreationTimestamp();
  }

  static OwnerReference owner(Rollout r) {
    return new OwnerReferenceBuilder()
        .withApiVersion(r.getApiVersion())
        .withKind(r.getKind())
        .withName(r.getMetadata().getName())
        .withUid(r.getMetadata().getUid())
        .withController(true)
        .withBlockOwnerDeletion(true)
        .build();
  }
}
