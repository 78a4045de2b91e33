package dev.slipway.controller.reconcile;

import dev.slipway.api.v1alpha1.Rollout;
import dev.slipway.controller.core.DaemonSetView;
import dev.slipway.controller.core.PodView;
import dev.slipway.controller.kube.ClusterReads;
import dev.slipway.controller.kube.Labels;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reading a DaemonSet that a Rollout walks node by node (spec.workloadRef kind DaemonSet): its
 * revisions (its ControllerRevisions), its pods by node, those nodes' readiness, and whether it may
 * be walked at all.
 */
final class DaemonSets {
  private DaemonSets() {}

  /** Its ControllerRevisions: those its selector matches and it owns. */
  static List<ControllerRevision> revisions(ClusterReads reads, DaemonSet ds) {
    Map<String, String> labels = selector(ds);
    if (labels.isEmpty()) return List.of();
    String uid = ds.getMetadata().getUid();
    return reads.controllerRevisions(ds.getMetadata().getNamespace(), labels).stream()
        .filter(cr -> ownedBy(cr.getMetadata().getOwnerReferences(), uid))
        .toList();
  }

  /**
   * The revision of its template: the hash of its newest ControllerRevision, once its controller
   * has seen the template (observedGeneration caught up); null before.
   */
  static String templateRevision(DaemonSet ds, List<ControllerRevision> revisions) {
    Long generation = ds.getMetadata().getGeneration();
    Long observed = ds.getStatus() == null ? null : ds.getStatus().getObservedGeneration();
    if (generation == null || observed == null || observed < generation) return null;
    return revisions.stream()
        .max(Comparator.comparing(cr -> cr.getRevision() == null ? 0L : cr.getRevision()))
        .map(DaemonSets::hash)
        .orElse(null);
  }

  /** A ControllerRevision's hash: its controller-revision-hash label, as its pods carry it. */
  static String hash(ControllerRevision cr) {
    var labels = cr.getMetadata().getLabels();
    String h = labels == null ? null : labels.get(Labels.CONTROLLER_REVISION_HASH);
    if (h != null) return h;
    String name = cr.getMetadata().getName();
    return name.substring(name.lastIndexOf('-') + 1);
  }

  /** Its pods: those its selector matches and it owns. */
  static List<Pod> pods(ClusterReads reads, DaemonSet ds) {
    Map<String, String> labels = selector(ds);
    if (labels.isEmpty()) return List.of();
    String uid = ds.getMetadata().getUid();
    return reads.pods(ds.getMetadata().getNamespace(), labels).stream()
        .filter(p -> ownedBy(p.getMetadata().getOwnerReferences(), uid))
        .toList();
  }

  private static Map<String, String> selector(DaemonSet ds) {
    var sel = ds.getSpec() == null ? null : ds.getSpec().getSelector();
    return sel == null || sel.getMatchLabels() == null ? Map.of() : sel.getMatchLabels();
  }

  private static boolean ownedBy(List<OwnerReference> owners, String uid) {
    return uid == null || (owners != null && owners.stream().anyMatch(o -> uid.equals(o.getUid())));
  }

  /**
   * The node a DaemonSet pod is for: where it was bound, or, before the scheduler binds it, the
   * node its controller pinned it to (a required node affinity on metadata.name).
   */
  static String node(Pod p) {
    if (p.getSpec() == null) return null;
    if (p.getSpec().getNodeName() != null) return p.getSpec().getNodeName();
    var a = p.getSpec().getAffinity();
    var na = a == null ? null : a.getNodeAffinity();
    var req = na == null ? null : na.getRequiredDuringSchedulingIgnoredDuringExecution();
    if (req == null || req.getNodeSelectorTerms() == null) return null;
    for (var term : req.getNodeSelectorTerms()) {
      if (term.getMatchFields() == null) continue;
      for (var f : term.getMatchFields()) {
        if ("metadata.name".equals(f.getKey())
            && f.getValues() != null
            && f.getValues().size() == 1) {
          return f.getValues().get(0);
        }
      }
    }
    return null;
  }

  static boolean ready(Node n) {
    return n != null
        && n.getStatus() != null
        && n.getStatus().getConditions() != null
        && n.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  /** The walk's view: one slot per node its pods are on, with the node's readiness and labels. */
  static DaemonSetView view(
      DaemonSet ds,
      String templateRevision,
      List<ControllerRevision> revisions,
      List<Pod> pods,
      Map<String, PodView> views,
      List<Node> nodes) {
    Map<String, Node> byName = new HashMap<>();
    for (Node n : nodes) byName.put(n.getMetadata().getName(), n);
    Map<String, List<PodView>> on = new TreeMap<>();
    for (Pod p : pods) {
      String node = node(p);
      PodView v = views.get(p.getMetadata().getName());
      if (node != null && v != null) on.computeIfAbsent(node, k -> new ArrayList<>()).add(v);
    }
    List<DaemonSetView.NodeSlot> slots = new ArrayList<>();
    on.forEach(
        (node, list) -> {
          Node n = byName.get(node);
          Map<String, String> labels =
              n == null || n.getMetadata().getLabels() == null
                  ? Map.of()
                  : n.getMetadata().getLabels();
          slots.add(new DaemonSetView.NodeSlot(node, ready(n), labels, list));
        });
    Set<String> kept = new HashSet<>();
    for (ControllerRevision cr : revisions) kept.add(hash(cr));
    return new DaemonSetView(ds.getMetadata().getName(), templateRevision, slots, kept);
  }

  /**
   * Why the DaemonSet may not be walked, or null: an older Rollout names it; its owner has not
   * consented (the annotation a Deployment takes); it updates by RollingUpdate (its controller
   * would then replace every node's pod itself, with no analysis between); its controller has not
   * seen its template yet; or the stable Service does not select its pods ({@code unselected},
   * already checked).
   */
  static String refusal(
      Rollout r, DaemonSet ds, String templateRevision, String claim, String unselected) {
    String it = "DaemonSet " + r.getMetadata().getNamespace() + "/" + ds.getMetadata().getName();
    if (claim != null) return claim;
    String unconsented = StatefulSets.unconsented(r, ds, it);
    if (unconsented != null) return unconsented;
    var strategy = ds.getSpec() == null ? null : ds.getSpec().getUpdateStrategy();
    if (strategy == null || !"OnDelete".equals(strategy.getType())) {
      return it
          + " has updateStrategy "
          + (strategy == null || strategy.getType() == null
              ? "RollingUpdate (the default)"
              : strategy.getType())
          + ": its own controller would replace every node's pod at a template change, with no"
          + " analysis between; set updateStrategy.type OnDelete, and Slipway replaces them node by"
          + " node; it is left untouched";
    }
    if (templateRevision == null) {
      return it + " has no ControllerRevision for its template yet: its controller has not seen it";
    }
    return unselected;
  }
}
