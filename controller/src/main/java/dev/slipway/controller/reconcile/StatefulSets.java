package dev.slipway.controller.reconcile;

import dev.slipway.api.v1alpha1.Rollout;
import dev.slipway.controller.core.PodView;
import dev.slipway.controller.core.StatefulSetView;
import dev.slipway.controller.kube.ClusterReads;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.util.List;
import java.util.Map;

/**
 * Reading a StatefulSet that a Rollout walks in place (spec.workloadRef kind StatefulSet): its
 * revisions, its pods, and whether it may be walked at all.
 */
final class StatefulSets {
  private StatefulSets() {}

  static int replicas(StatefulSet sts) {
    Integer n = sts.getSpec() == null ? null : sts.getSpec().getReplicas();
    return n == null ? 1 : n;
  }

  static int partition(StatefulSet sts) {
    var u = sts.getSpec() == null ? null : sts.getSpec().getUpdateStrategy();
    Integer p =
        u == null || u.getRollingUpdate() == null ? null : u.getRollingUpdate().getPartition();
    return p == null ? 0 : p;
  }

  /** The revision of its template, once its controller has seen it; null before. */
  static String updateRevision(StatefulSet sts) {
    return sts.getStatus() == null ? null : sts.getStatus().getUpdateRevision();
  }

  /** Its pods: those its selector matches and it owns. */
  static List<Pod> pods(ClusterReads reads, StatefulSet sts) {
    Map<String, String> labels = selector(sts);
    if (labels.isEmpty()) return List.of();
    String uid = sts.getMetadata().getUid();
    return reads.pods(sts.getMetadata().getNamespace(), labels).stream()
        .filter(p -> ownedBy(p, uid))
        .toList();
  }

  /**
   * Its ControllerRevisions: those its selector matches and it owns. A StatefulSet's revision is
   * the ControllerRevision's name, as its pods' controller-revision-hash and its status carry it.
   */
  static List<ControllerRevision> revisions(ClusterReads reads, StatefulSet sts) {
    Map<String, String> labels = selector(sts);
    if (labels.isEmpty()) return List.of();
    String uid = sts.getMetadata().getUid();
    return reads.controllerRevisions(sts.getMetadata().getNamespace(), labels).stream()
        .filter(cr -> ownedBy(cr, uid))
        .toList();
  }

  /**
   * Its ControllerRevisions when a pass may need one: only a rollback of a canary the StatefulSet
   * made current writes a template back, the stable one's, and then its current revision is not the
   * stable one. While it is (every settled pass, every canary step), or there is no stable revision
   * yet, none are read: a LIST per pass per StatefulSet for nothing.
   */
  static List<ControllerRevision> revisionsIfDrifted(
      ClusterReads reads, StatefulSet sts, String stableRevision) {
    String current = sts.getStatus() == null ? null : sts.getStatus().getCurrentRevision();
    if (stableRevision == null || stableRevision.equals(current)) return List.of();
    return revisions(reads, sts);
  }

  private static Map<String, String> selector(StatefulSet sts) {
    var sel = sts.getSpec() == null ? null : sts.getSpec().getSelector();
    return sel == null || sel.getMatchLabels() == null ? Map.of() : sel.getMatchLabels();
  }

  private static boolean ownedBy(HasMetadata o, String uid) {
    List<OwnerReference> owners = o.getMetadata().getOwnerReferences();
    return uid == null || (owners != null && owners.stream().anyMatch(r -> uid.equals(r.getUid())));
  }

  /**
   * Why a workload walked in place has not consented, or null: whoever owns it annotates it
   * slipway.dev/adopt-by with the Rollout's name (the annotation a Deployment takes: creating a
   * Rollout must not be a way to replace someone else's pods).
   */
  static String unconsented(Rollout r, HasMetadata workload, String it) {
    String name = r.getMetadata().getName();
    var annotations = workload.getMetadata().getAnnotations();
    String consent = annotations == null ? null : annotations.get(ObservationReader.ADOPT_BY);
    if (name.equals(consent)) return null;
    return it
        + " has not consented: whoever owns it annotates it "
        + ObservationReader.ADOPT_BY
        + "="
        + name
        + (consent == null ? "" : " (it names " + consent + ")")
        + "; it is left untouched";
  }

  static StatefulSetView view(StatefulSet sts, List<PodView> pods, List<ControllerRevision> kept) {
    return new StatefulSetView(
        sts.getMetadata().getName(),
        replicas(sts),
        partition(sts),
        sts.getStatus() == null ? null : sts.getStatus().getCurrentRevision(),
        updateRevision(sts),
        pods,
        "Parallel".equals(sts.getSpec() == null ? null : sts.getSpec().getPodManagementPolicy()),
        kept.stream().map(cr -> cr.getMetadata().getName()).toList());
  }

  /**
   * Why the StatefulSet may not be walked, or null: an older Rollout names it; its owner has not
   * consented (the same annotation as for a Deployment: creating a Rollout must not be a way to
   * replace someone else's pods); it updates OnDelete (its pods then change only when deleted, and
   * the partition means nothing); it has a single replica (no ordinal could stay on the old
   * revision, so a rollback would have none to return to); its controller has not given it a
   * revision yet; or the stable Service does not select its pods ({@code unselected}, already
   * checked).
   */
  static String refusal(Rollout r, StatefulSet sts, String claim, String unselected) {
    String ns = r.getMetadata().getNamespace();
    String it = "StatefulSet " + ns + "/" + sts.getMetadata().getName();
    if (claim != null) return claim;
    String unconsented = unconsented(r, sts, it);
    if (unconsented != null) return unconsented;
    var strategy = sts.getSpec() == null ? null : sts.getSpec().getUpdateStrategy();
    if (strategy != null && "OnDelete".equals(strategy.getType())) {
      return it
          + " has updateStrategy OnDelete: Slipway walks a StatefulSet by its rollingUpdate partition;"
          + " set type RollingUpdate (or leave it out); it is left untouched";
    }
    if (replicas(sts) < 2) {
      return it
          + " has "
          + replicas(sts)
          + " replica(s): a canary needs at least 2, so that ordinal 0 stays on the old revision"
          + " and a rollback has one to return to; it is left untouched";
    }
    if (updateRevision(sts) == null) {
      return it + " has no status.updateRevision yet: its controller has not seen it";
    }
    return unselected;
  }
}
