package dev.slipway.controller.core;

import dev.slipway.api.v1alpha1.RolloutSpec;
import dev.slipway.api.v1alpha1.RolloutStatus;
import dev.slipway.api.v1alpha1.SetCanaryScale;
import dev.slipway.api.v1alpha1.WorkloadRef;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A DaemonSet walked node by node (spec.workloadRef kind DaemonSet, updateStrategy OnDelete): the
 * core decides in pods per revision, as for ReplicaSets (one pod per Ready node), and this turns
 * the pass's ReplicaSet actions into what such a DaemonSet allows. Its controller recreates a
 * deleted pod from the template it holds now, so: the canary grows by replacing old pods, one node
 * at a time, each once every Ready node's pod is Ready (nodes named by the step's nodeSelector
 * first, then those a superseded canary left, then by name); pods of a revision the core lets go
 * are replaced the same way, back onto the template, which a rollback first sets to the stable
 * revision's (from its ControllerRevision: Git still holds the rolled-back one, see {@link
 * #desiredRevision}). Nodes that are not Ready are neither counted, nor updated, nor waited for,
 * and condition NodesSkipped names them.
 */
public final class NodeWalk {
  /** Look-again while replacing pods, should an event be missed. */
  static final Duration REPLACING_POLL = Duration.ofSeconds(2);

  private NodeWalk() {}

  static boolean inPlace(RolloutSpec spec) {
    return spec != null && spec.workloadRef() != null && spec.workloadRef().daemonSet();
  }

  /**
   * The revision Git wants, from the template revision of a workload walked in place (a
   * DaemonSet's, or a StatefulSet's update revision): after a rollback wrote the stable template
   * back, the rolled-back revision is still the desired one (else the restored template would read
   * as a revert, and Git's template, put back by a sync, as a new attempt).
   */
  public static String desiredRevision(RolloutStatus status, String templateRevision) {
    if (status != null
        && status.templateRestoredFor() != null
        && templateRevision != null
        && templateRevision.equals(status.stableRevision())) {
      return status.templateRestoredFor();
    }
    return templateRevision;
  }

  /** Canary pods at a step naming nodes: the Ready nodes it matches and those already updated. */
  static Integer selected(RolloutDecider.Ctx c) {
    SetCanaryScale scale = c.d().s.canaryScale;
    WorkloadView w = c.obs().workload();
    if (!inPlace(c.spec()) || scale == null || scale.nodeSelector() == null) return null;
    if (w == null || w.daemonSet() == null) return 0;
    return w.daemonSet().selected(scale.nodeSelector(), c.d().s.canaryRevision);
  }

  /**
   * Why a rolled-back revision may not be retried now, or null: the DaemonSet (or StatefulSet)
   * holds the stable template the rollback wrote back, and Slipway writes no other (Git's template
   * is Git's to put back: a sync, or Argo CD's self-heal, does; the retry is then allowed).
   */
  static String retryRefusal(RolloutDecider.Ctx c) {
    WorkloadView w = c.obs().workload();
    String update = c.obs().desiredRevision();
    String kind = null;
    String name = null;
    String template = null;
    if (inPlace(c.spec()) && w != null && w.daemonSet() != null) {
      kind = "DaemonSet ";
      name = w.daemonSet().name();
      template = w.daemonSet().templateRevision();
    } else if (Partitions.inPlace(c.spec()) && w != null && w.statefulSet() != null) {
      kind = "StatefulSet ";
      name = w.statefulSet().name();
      template = w.statefulSet().updateRevision();
    }
    if (kind == null || update.equals(template)) return null;
    return kind
        + name
        + " holds the template of "
        + template
        + ", written back by the rollback; apply "
        + update
        + " again from Git (sync) to retry it";
  }

  static void apply(RolloutDecider.Ctx c) {
    if (!inPlace(c.spec())) return;
    Draft d = c.d();
    WorkloadView w = c.obs().workload();
    DaemonSetView ds = w == null ? null : w.daemonSet();
    String update = c.obs().desiredRevision();
    Partitions.Asked asked = Partitions.asked(d, update);
    if (ds == null) {
      d.s.updated = null;
      return;
    }
    skipped(d, ds);
    if (d.s.templateRestoredFor != null && update.equals(ds.templateRevision())) {
      // The template is Git's again (a sync put it back, or a retry wrote it): nothing of ours.
      d.s.templateRestoredFor = null;
    }
    d.s.updated = updated(ds, update);
    Set<String> gone = new HashSet<>(asked.gone());
    // A canary superseded mid-walk hands its nodes to the newest template once no Service sends
    // them traffic: they ran an unproven revision already, and the stable one is not the template.
    gone.addAll(
        Partitions.strays(
            c, ds.readyNodes().stream().map(DaemonSetView.NodeSlot::revision).toList(), update));
    List<DaemonSetView.NodeSlot> leaving =
        ds.readyNodes().stream().filter(n -> gone.contains(n.revision())).toList();
    if (!leaving.isEmpty()) {
      goBack(c, ds, gone, leaving);
      return;
    }
    Integer want = asked.wantUpdated();
    int on = ds.on(update).size();
    if (want == null || on >= want) return;
    if (Partitions.promotingInPlace(
        c, update, want >= ds.readyNodes().size(), on >= ds.readyNodes().size(), "nodes")) {
      return;
    }
    if (!update.equals(ds.templateRevision())) {
      // Slipway writes only the stable template, to roll back; Git's is Git's to put back.
      d.s.message =
          (d.s.message == null ? "" : d.s.message + "; ")
              + "DaemonSet "
              + ds.name()
              + " holds the template of "
              + ds.templateRevision()
              + ", not "
              + update
              + "'s: no node is updated until its controller has "
              + update
              + "'s";
      d.requeueIn(REPLACING_POLL);
      return;
    }
    List<DaemonSetView.NodeSlot> next =
        ds.readyNodes().stream()
            .filter(n -> !update.equals(n.revision()))
            .sorted(order(c, update))
            .toList();
    replaceNext(c, ds, next, update, (want - on) + " more node(s) to update");
  }

  /** Pods of revisions let go: back onto the template, which must not be one of them. */
  private static void goBack(
      RolloutDecider.Ctx c,
      DaemonSetView ds,
      Set<String> gone,
      List<DaemonSetView.NodeSlot> leaving) {
    Draft d = c.d();
    String back = ds.templateRevision();
    if (back == null || gone.contains(back)) {
      String stable = d.s.stableRevision;
      if (stable == null || gone.contains(stable)) {
        d.s.message = "no revision to return the nodes of " + String.join(", ", gone) + " to";
        return;
      }
      writeTemplate(
          d,
          ds,
          stable,
          "rolling back: the nodes on "
              + String.join(", ", new java.util.TreeSet<>(gone))
              + " go back to "
              + stable);
      if (d.actions.stream().anyMatch(Action.WriteTemplate.class::isInstance)
          && d.s.canaryRevision != null
          && !d.s.canaryRevision.equals(stable)) {
        d.s.templateRestoredFor = d.s.canaryRevision;
      }
      return;
    }
    replaceNext(c, ds, leaving, back, "back to " + back);
  }

  private static void writeTemplate(Draft d, DaemonSetView ds, String revision, String why) {
    d.requeueIn(REPLACING_POLL);
    writeTemplate(d, WorkloadRef.Kind.DaemonSet, ds.name(), ds.revisions(), revision, why);
  }

  /**
   * Write {@code revision}'s template into a workload walked in place, if one of its
   * ControllerRevisions keeps it ({@code kept}); else condition TemplateUnavailable (an Event when
   * it changes) says what to do. Whether it was written.
   */
  static boolean writeTemplate(
      Draft d,
      WorkloadRef.Kind kind,
      String name,
      Collection<String> kept,
      String revision,
      String why) {
    if (!kept.contains(revision)) {
      String msg =
          why
              + ", but "
              + kind
              + " "
              + name
              + " keeps no ControllerRevision of "
              + revision
              + " (its revisionHistoryLimit pruned it): put its template back in Git";
      if (!msg.equals(d.conditionMessage("TemplateUnavailable").orElse(null))) {
        d.act(new Action.Emit(true, "TemplateUnavailable", msg));
      }
      d.condition("TemplateUnavailable", true, "NoControllerRevision", msg);
      d.s.message = msg;
      return false;
    }
    d.dropCondition("TemplateUnavailable");
    d.act(new Action.WriteTemplate(kind, name, revision));
    d.s.message = why + ": writing the template of " + revision + " into " + kind + " " + name;
    return true;
  }

  /**
   * Nodes a step names first, then those a superseded canary left (they serve no traffic), then by
   * name: a rollout by zone updates the zone it names.
   */
  private static Comparator<DaemonSetView.NodeSlot> order(RolloutDecider.Ctx c, String update) {
    Draft d = c.d();
    Map<String, String> sel = upcomingSelector(c);
    return Comparator.<DaemonSetView.NodeSlot>comparingInt(
            n -> sel != null && n.matches(sel) ? 0 : 1)
        .thenComparingInt(
            n ->
                n.revision() != null
                        && !n.revision().equals(d.s.stableRevision)
                        && !n.revision().equals(update)
                    ? 0
                    : 1)
        .thenComparing(DaemonSetView.NodeSlot::node);
  }

  /**
   * The node selector of the step in force, or else of the next setCanaryScale step: the canary's
   * first pod, made before the steps start, goes where the first step will want it.
   */
  private static Map<String, String> upcomingSelector(RolloutDecider.Ctx c) {
    SetCanaryScale scale = c.d().s.canaryScale;
    if (scale != null) return scale.nodeSelector();
    Integer at = c.d().s.currentStepIndex;
    List<dev.slipway.api.v1alpha1.CanaryStep> steps = c.steps();
    for (int i = at == null ? 0 : at; i < steps.size(); i++) {
      SetCanaryScale s = steps.get(i).setCanaryScale();
      if (s != null) return s.nodeSelector();
    }
    return null;
  }

  /** The first of {@code next}, once every Ready node's pod is Ready: one node at a time. */
  private static void replaceNext(
      RolloutDecider.Ctx c,
      DaemonSetView ds,
      List<DaemonSetView.NodeSlot> next,
      String to,
      String why) {
    Draft d = c.d();
    if (next.isEmpty()) return;
    d.requeueIn(REPLACING_POLL);
    DaemonSetView.NodeSlot n = next.get(0);
    PodView pod = n.live();
    String progress =
        "replacing the pod on node "
            + n.node()
            + " (revision "
            + n.revision()
            + ") with revision "
            + to
            + "; "
            + why;
    if (pod == null
        || !ds.settled()
        || d.actions.stream().anyMatch(Action.EvictPod.class::isInstance)) {
      d.s.message =
          (d.s.message == null ? "" : d.s.message + "; ")
              + "waiting for the pod of every Ready node of DaemonSet "
              + ds.name()
              + " to be Ready before "
              + progress;
      return;
    }
    d.act(new Action.ReplacePod(pod.name(), pod.uid(), -1, n.node(), pod.revision(), to));
    d.s.message = (d.s.message == null ? "" : d.s.message + "; ") + progress;
  }

  /** Nodes not Ready: skipped, and said so (an Event when the list changes). */
  private static void skipped(Draft d, DaemonSetView ds) {
    List<String> out = ds.notReady();
    if (out.isEmpty()) {
      d.dropCondition("NodesSkipped");
      return;
    }
    String msg =
        "DaemonSet "
            + ds.name()
            + ": node(s) not Ready, skipped (neither counted, updated nor waited for): "
            + String.join(", ", out);
    if (!msg.equals(d.conditionMessage("NodesSkipped").orElse(null))) {
      d.act(new Action.Emit(true, "NodesSkipped", msg));
    }
    d.condition("NodesSkipped", true, "NodeNotReady", msg);
  }

  /** For people and the printer column: Ready nodes on the new revision, and which. */
  private static String updated(DaemonSetView ds, String update) {
    List<String> on = new ArrayList<>(ds.on(update));
    int all = ds.readyNodes().size();
    String names = on.size() > 5 ? on.subList(0, 5) + "…" : on.toString();
    return on.size() + "/" + all + " nodes" + (on.isEmpty() ? "" : " " + names);
  }
}
