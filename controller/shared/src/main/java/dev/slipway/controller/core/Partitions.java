package dev.slipway.controller.core;

import dev.slipway.api.v1alpha1.RevisionState;
import dev.slipway.api.v1alpha1.RolloutSpec;
import dev.slipway.api.v1alpha1.WorkloadRef;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A StatefulSet walked in place (spec.workloadRef kind StatefulSet): the core decides in pods per
 * revision, as for ReplicaSets, and this turns the pass's ReplicaSet actions into what a
 * StatefulSet can do. Pods on the new revision grow by lowering the partition (its controller
 * updates the ordinals at and above it, highest first, each after the one before is Ready); pods of
 * a revision the core scales to 0 go by raising the partition above them and replacing them
 * ourselves, highest ordinal first, one at a time, each only once every pod is Ready (the
 * controller recreates a pod below the partition at its current revision: the old one). Should its
 * controller have made a revision let go current (every ordinal ran it), a replaced pod would come
 * back on it: the rollback then writes the stable revision's template back from its
 * ControllerRevision, and the StatefulSet's own rolling update returns the ordinals to it. Between
 * releases the partition is held at spec.replicas, so a template change from Git updates no pod
 * until a step says so. PVCs are never touched: a pod replaced keeps its claim.
 */
final class Partitions {
  /**
   * Look-again while replacing pods, should an event be missed: the StatefulSet's status (watched)
   * changes as each replaced pod comes back Ready, which usually wakes the Rollout first.
   */
  static final Duration REPLACING_POLL = Duration.ofSeconds(2);

  private Partitions() {}

  static boolean inPlace(RolloutSpec spec) {
    return spec != null && spec.workloadRef() != null && spec.workloadRef().statefulSet();
  }

  /**
   * Once every ordinal runs a revision, the StatefulSet's controller makes it current, and a pod
   * replaced comes back on it, not on the Rollout's stable revision. That happens when a promotion
   * reached every ordinal and a newer template arrived before the pass that finishes it: the
   * superseded revision then is the stable one in fact, and the core is told so before it decides.
   */
  static void followCurrent(RolloutDecider.Ctx c) {
    if (!inPlace(c.spec())) return;
    Draft d = c.d();
    WorkloadView w = c.obs().workload();
    StatefulSetView sts = w == null ? null : w.statefulSet();
    String current = sts == null ? null : sts.currentRevision();
    if (current != null
        && current.equals(d.s.canaryRevision)
        && d.s.state == RevisionState.Promoted
        && !current.equals(c.obs().desiredRevision())
        && sts.pods().size() >= sts.replicas()
        && sts.pods().stream().allMatch(p -> current.equals(p.revision()))) {
      // The promotion is through (every ordinal runs it, and it is current) when a newer template
      // arrives: going anywhere else is a new release from here, not a revert to the old stable.
      // Ready or not (a restart may be replacing one): no pod runs the old stable any more, so a
      // revert would sweep every ordinal (seed -3363585743711798983).
      d.s.stableRevision = current;
      d.s.canaryRevision = null;
      d.s.promotedFrom = null;
      d.s.currentStepIndex = null;
      d.transition(
          current,
          RevisionState.Stable,
          "Promoted",
          "StatefulSet "
              + sts.name()
              + " made "
              + current
              + " current (every ordinal runs it) before a newer template arrived: promoted");
      return;
    }
    if (current == null
        || d.s.stableRevision == null
        || current.equals(d.s.stableRevision)
        || current.equals(d.s.canaryRevision)
        || sts.pods().stream().anyMatch(p -> d.s.stableRevision.equals(p.revision()))) {
      return;
    }
    String why =
        "StatefulSet "
            + sts.name()
            + " made "
            + current
            + " current (every ordinal ran it) and no pod runs "
            + d.s.stableRevision
            + " any more: "
            + current
            + " is the stable revision";
    d.act(new Action.Emit(true, "StableFollowsStatefulSet", why));
    d.s.stableRevision = current;
  }

  static void apply(RolloutDecider.Ctx c) {
    if (!inPlace(c.spec())) return;
    Draft d = c.d();
    WorkloadView w = c.obs().workload();
    StatefulSetView sts = w == null ? null : w.statefulSet();
    String update = c.obs().desiredRevision();
    Asked asked = asked(d, update);
    if (sts == null) {
      d.s.updated = null;
      return;
    }
    if (d.s.templateRestoredFor != null && update.equals(sts.updateRevision())) {
      // The template is Git's again (a sync put it back): nothing of ours.
      d.s.templateRestoredFor = null;
    }
    Integer wantUpdated = asked.wantUpdated();
    Set<String> gone = new HashSet<>(asked.gone());
    gone.addAll(strays(c, sts, update));
    notice(d, sts);
    if (restoring(d, sts)) {
      walkBack(d, sts, gone, update);
      return;
    }
    int replicas = sts.replicas();
    int partition = wantUpdated == null ? frozen(sts, update) : replicas - wantUpdated;
    // An aborted or reverted canary keeps its ordinals until the core lets them go (traffic first).
    String canary = d.s.canaryRevision;
    if (canary != null && !canary.equals(update) && !gone.contains(canary)) {
      for (PodView p : sts.pods()) {
        if (canary.equals(p.revision())) {
          partition = Math.max(partition, StatefulSetView.ordinal(p) + 1);
        }
      }
    }
    Set<String> excess = excess(d, sts, update, wantUpdated, partition);
    if (!excess.isEmpty()) partition = Math.max(partition, frozen(sts, update));
    if (promotingInPlace(c, sts, update, wantUpdated)) {
      // Traffic first: the last ordinals on the old revision lose both Services, and the
      // scale-down delay passes, before their pods are replaced.
      partition = Math.max(partition, frozen(sts, update));
    }
    // Every pod on the update revision: nothing left to update. Held even while a pod is not Ready
    // (a restart's) once the update revision is current, as a pod recreated below the partition
    // then comes back on it: else a template change arriving meanwhile would sweep every ordinal.
    boolean allUpdated =
        sts.pods().stream().allMatch(p -> update.equals(p.revision()))
            && (sts.settled() || update.equals(sts.currentRevision()));
    if (allUpdated) {
      // Hold, so the next template change waits for its steps.
      partition = replicas;
    }
    partition = Math.max(0, Math.min(partition, replicas));
    if (partition != sts.partition()) {
      d.act(new Action.SetPartition(sts.name(), partition));
    }
    replaceGone(c, sts, gone, excess, partition);
    d.s.updated = updated(sts, update, partition);
  }

  /** The stable template a rollback wrote back is the StatefulSet's update revision. */
  private static boolean restoring(Draft d, StatefulSetView sts) {
    return d.s.templateRestoredFor != null
        && d.s.stableRevision != null
        && d.s.stableRevision.equals(sts.updateRevision());
  }

  /**
   * With the stable template written back, the StatefulSet's own rolling update takes the ordinals
   * back to it, highest first, each once the one before is Ready: the partition goes to 0 once
   * every revision off it is let go (traffic first), and is held at spec.replicas once every pod
   * runs it again.
   */
  private static void walkBack(Draft d, StatefulSetView sts, Set<String> gone, String update) {
    String stable = d.s.stableRevision;
    boolean back =
        sts.pods().size() >= sts.replicas()
            && sts.pods().stream().allMatch(p -> stable.equals(p.revision()));
    boolean letGo =
        sts.pods().stream()
            .allMatch(p -> stable.equals(p.revision()) || gone.contains(p.revision()));
    int partition = back || !letGo ? sts.replicas() : 0;
    if (partition != sts.partition()) {
      d.act(new Action.SetPartition(sts.name(), partition));
    }
    if (!back) {
      d.requeueIn(REPLACING_POLL);
      if (letGo) {
        d.s.message =
            (d.s.message == null ? "" : d.s.message + "; ")
                + "rolling back: StatefulSet "
                + sts.name()
                + " holds the template of "
                + stable
                + " again, and its controller takes the ordinals back to it, highest first";
      }
    }
    d.s.updated = updated(sts, update, partition);
  }

  /** What the pass asked of the revisions, in pods; its ReplicaSet actions taken out. */
  record Asked(Integer wantUpdated, Set<String> gone) {}

  static Asked asked(Draft d, String update) {
    Integer wantUpdated = null;
    Set<String> gone = new HashSet<>();
    List<Action> kept = new ArrayList<>();
    for (Action a : d.actions) {
      if (a instanceof Action.EnsureReplicaSet e) {
        if (e.revision().equals(update)) wantUpdated = e.replicas();
        gone.remove(e.revision());
      } else if (a instanceof Action.ScaleReplicaSet s) {
        if (s.revision().equals(update)) wantUpdated = s.replicas();
        if (s.replicas() == 0) gone.add(s.revision());
      } else if (!(a instanceof Action.PruneHistory) && !(a instanceof Action.ScaleWorkload)) {
        // ReplicaSets, their history and the Deployment scale are not a StatefulSet's.
        kept.add(a);
      }
    }
    d.actions.clear();
    d.actions.addAll(kept);
    return new Asked(wantUpdated, gone);
  }

  /**
   * Ordinals below the partition already on the new revision (left by a promotion reverted
   * half-way, then applied again) are more canary than asked for: back to the old revision they go,
   * and until they have, no ordinal moves, lest every pod run the new revision before promotion
   * (its controller would then make it current, with no old one to return to).
   */
  private static Set<String> excess(
      Draft d, StatefulSetView sts, String update, Integer wantUpdated, int partition) {
    Set<String> excess = new HashSet<>();
    boolean promoting = wantUpdated != null && wantUpdated >= sts.replicas();
    if (!promoting
        && !update.equals(sts.currentRevision())
        && !update.equals(d.s.stableRevision)
        && d.s.stableRevision != null
        && d.s.stableRevision.equals(sts.currentRevision())) {
      for (PodView p : sts.pods()) {
        if (update.equals(p.revision()) && StatefulSetView.ordinal(p) < partition) {
          excess.add(p.name());
        }
      }
    }
    return excess;
  }

  /**
   * Whether a promotion must still hold the last old ordinals: the stable Service selects them
   * (then both Services are pointed at the new revision now), or it stopped only moments ago.
   */
  private static boolean promotingInPlace(
      RolloutDecider.Ctx c, StatefulSetView sts, String update, Integer wantUpdated) {
    return promotingInPlace(
        c,
        update,
        wantUpdated != null && wantUpdated >= sts.replicas(),
        sts.pods().stream().allMatch(p -> update.equals(p.revision())),
        "ordinals");
  }

  /**
   * The same for any workload walked in place: {@code promoting} the pass asks for every pod on the
   * new revision, {@code allUpdated} they are, {@code what} its units (ordinals, nodes).
   */
  static boolean promotingInPlace(
      RolloutDecider.Ctx c, String update, boolean promoting, boolean allUpdated, String what) {
    Draft d = c.d();
    if (d.s.state != RevisionState.Promoted
        || !promoting
        || update.equals(d.s.stableRevision)
        || allUpdated) {
      return false;
    }
    ServicesView sv = c.obs().services();
    String stableService = c.spec().strategy().plan().stableService();
    if (sv != null && stableService != null && !update.equals(sv.selects().get(stableService))) {
      d.act(new Action.PointServices(update, update));
      d.s.message =
          "promoting: both Services now select "
              + update
              + "; the "
              + what
              + " still on "
              + d.s.stableRevision
              + " are replaced once the gateway has moved their traffic";
      d.requeueIn(RolloutDecider.POLL);
      return true;
    }
    return !ScaleDownDelay.over(c, "the " + what + " still on " + d.s.stableRevision);
  }

  /** What podManagementPolicy Parallel changes, said once, and kept as a condition. */
  private static void notice(Draft d, StatefulSetView sts) {
    if (!sts.parallel()) {
      d.dropCondition("WorkloadNotice");
      return;
    }
    String note =
        "StatefulSet "
            + sts.name()
            + " has podManagementPolicy Parallel: when it scales, its controller creates and deletes"
            + " pods without waiting for their neighbours; the canary still updates one ordinal at a"
            + " time (the partition), and a rollback still replaces one pod at a time, each once"
            + " every pod is Ready";
    if (!note.equals(d.conditionMessage("WorkloadNotice").orElse(null))) {
      d.act(new Action.Emit(false, "ParallelPodManagement", note));
    }
    d.condition("WorkloadNotice", true, "ParallelPodManagement", note);
  }

  /**
   * With nothing asked of the update revision this pass (traffic still moving, a gate holding): no
   * ordinal may start updating, wherever the partition was left (a revert lowers it to 0, and a
   * template applied again meanwhile must not sweep every ordinal).
   */
  private static int frozen(StatefulSetView sts, String update) {
    int partition = sts.partition();
    for (PodView p : sts.pods()) {
      if (!update.equals(p.revision())) {
        partition = Math.max(partition, StatefulSetView.ordinal(p) + 1);
      }
    }
    return partition;
  }

  /**
   * Revisions left on ordinals by a canary superseded mid-walk, neither stable, nor desired, nor
   * the canary: no Service sends them traffic any more (or, unobserved, the new revision is past
   * Pending, which moves traffic off the previous canary), and their carried-over scale-down delay
   * is over. A ReplicaSet's pods would have been scaled down; these are replaced.
   */
  private static Set<String> strays(RolloutDecider.Ctx c, StatefulSetView sts, String update) {
    return strays(c, sts.pods().stream().map(PodView::revision).toList(), update);
  }

  /** The same, from the revisions the workload's pods run. */
  static Set<String> strays(RolloutDecider.Ctx c, List<String> revisions, String update) {
    Draft d = c.d();
    Set<String> out = new HashSet<>();
    for (String r : revisions) {
      if (r == null
          || r.equals(update)
          || r.equals(d.s.stableRevision)
          || r.equals(d.s.canaryRevision)) continue;
      ServicesView sv = c.obs().services();
      boolean unserved =
          sv == null ? d.s.state != RevisionState.Pending : !sv.selects().containsValue(r);
      if (unserved
          && (d.s.replacedScaleDownAt == null
              || !d.now.isBefore(Instant.parse(d.s.replacedScaleDownAt)))) {
        out.add(r);
      }
    }
    return out;
  }

  /**
   * The highest-ordinal pod below the partition on a revision the core let go, once every pod is
   * Ready: its controller recreates it at the current revision, with the same claim.
   */
  private static void replaceGone(
      RolloutDecider.Ctx c,
      StatefulSetView sts,
      Set<String> gone,
      Set<String> excess,
      int partition) {
    Draft d = c.d();
    List<PodView> left =
        sts.highestFirst().stream()
            .filter(
                p ->
                    (gone.contains(p.revision()) || excess.contains(p.name()))
                        && StatefulSetView.ordinal(p) < partition)
            .toList();
    if (left.isEmpty()) return;
    d.requeueIn(REPLACING_POLL);
    String back = sts.currentRevision();
    if (back == null) {
      d.s.message =
          "not replacing pods: StatefulSet " + sts.name() + " reports no current revision yet";
      return;
    }
    if (gone.contains(back)) {
      // Its controller made a revision let go current (every ordinal ran it): a replaced pod
      // would come back on it. The stable template, written back, takes them back instead.
      writeStableTemplate(c, sts, gone, back);
      return;
    }
    PodView next = left.get(0);
    String progress =
        "replacing pod "
            + next.name()
            + " (ordinal "
            + StatefulSetView.ordinal(next)
            + ", revision "
            + next.revision()
            + ") with revision "
            + back
            + "; "
            + (left.size() - 1)
            + " more after it";
    if (!sts.settled() || d.actions.stream().anyMatch(Action.EvictPod.class::isInstance)) {
      // One pod at a time, a restart's eviction in this pass included.
      d.s.message =
          (d.s.message == null ? "" : d.s.message + "; ")
              + "waiting for every pod of StatefulSet "
              + sts.name()
              + " to be Ready before "
              + progress;
      return;
    }
    d.act(
        new Action.ReplacePod(
            next.name(), next.uid(), StatefulSetView.ordinal(next), null, next.revision(), back));
    d.s.message = (d.s.message == null ? "" : d.s.message + "; ") + progress;
  }

  /**
   * The stable revision's template, from its ControllerRevision, into the StatefulSet: its update
   * revision then is the stable one, and lowering the partition walks the ordinals back to it. Git
   * still holds the revision rolled back; {@code templateRestoredFor} says so (see {@link
   * NodeWalk#desiredRevision}).
   */
  private static void writeStableTemplate(
      RolloutDecider.Ctx c, StatefulSetView sts, Set<String> gone, String current) {
    Draft d = c.d();
    String stable = d.s.stableRevision;
    String why =
        "rolling back: StatefulSet "
            + sts.name()
            + " made "
            + current
            + " current, so a replaced pod would come back on it";
    if (stable == null || gone.contains(stable)) {
      d.s.message = why + ", and there is no stable revision to return to";
      return;
    }
    String wanted = c.obs().desiredRevision();
    if (NodeWalk.writeTemplate(
            d, WorkloadRef.Kind.StatefulSet, sts.name(), sts.revisions(), stable, why)
        && !wanted.equals(stable)) {
      d.s.templateRestoredFor = wanted;
    }
  }

  /** For people and the printer column: pods on the new revision, their ordinals, the partition. */
  private static String updated(StatefulSetView sts, String update, int partition) {
    List<Integer> ordinals =
        sts.pods().stream()
            .filter(p -> update.equals(p.revision()))
            .map(StatefulSetView::ordinal)
            .sorted()
            .toList();
    return ordinals.size()
        + "/"
        + sts.replicas()
        + " ordinals"
        + (ordinals.isEmpty() ? "" : " " + ordinals)
        + ", partition "
        + partition;
  }
}
