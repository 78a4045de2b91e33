package dev.slipway.controller.core;

import dev.slipway.api.v1alpha1.RevisionState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A rolling restart without a new revision: every pod of the stable and canary ReplicaSets that is
 * older than status.restartAt is evicted, oldest first, one at a time, and only while every pod of
 * those ReplicaSets is ready. Nothing else changes: no revision, weight or step. The pods are
 * observed afresh each pass, so a restarted controller carries on with the next old pod.
 */
final class Restarts {
  /** Pods come and go within seconds; no informer watches them, so look again this soon. */
  static final Duration POLL = Duration.ofSeconds(2);

  private Restarts() {}

  static String refusal(Draft d) {
    if (d.s.stableRevision == null) {
      return "nothing to restart yet: no revision is deployed";
    }
    return d.s.restartAt == null
        ? null
        : "a restart is already under way (pods created before " + d.s.restartAt + ")";
  }

  /** Starts a restart of the pods that exist now. */
  static String begin(Draft d) {
    d.s.restartAt = d.now.toString();
    return "restarting the pods created before " + d.s.restartAt + ", one at a time";
  }

  static void apply(RolloutDecider.Ctx c) {
    Draft d = c.d();
    if (d.s.restartAt == null) {
      return;
    }
    List<PodView> pods = c.obs().pods();
    if (pods == null) {
      // The request was consumed in this pass, before its pods were read: look at them next pass.
      d.requeueIn(Duration.ZERO);
      return;
    }
    Instant cutoff = Instant.parse(d.s.restartAt);
    Set<String> revisions = new LinkedHashSet<>();
    if (d.s.stableRevision != null) revisions.add(d.s.stableRevision);
    if (d.s.canaryRevision != null) revisions.add(d.s.canaryRevision);
    List<PodView> ours = pods.stream().filter(p -> revisions.contains(p.revision())).toList();
    List<PodView> old =
        new ArrayList<>(
            ours.stream().filter(p -> !p.terminating() && p.created().isBefore(cutoff)).toList());
    if (old.isEmpty()) {
      d.s.restartedAt = d.s.restartAt;
      d.s.restartAt = null;
      d.dropCondition("Restarting");
      d.act(
          new Action.Emit(
              false,
              "Restarted",
              "every pod of revision "
                  + String.join(", ", revisions)
                  + " was created after "
                  + d.s.restartedAt));
      return;
    }
    d.requeueIn(POLL);
    String notReady = settling(c, ours, revisions);
    if (notReady != null) {
      say(d, "WaitingForReadyPods", old.size() + " pod(s) left to restart; waiting: " + notReady);
      return;
    }
    old.sort(Comparator.comparing(PodView::created).thenComparing(PodView::name));
    PodView next = old.get(0);
    say(d, "EvictingPod", old.size() + " pod(s) left to restart; evicting " + next.name());
    d.act(new Action.EvictPod(next.name(), next.uid(), next.revision(), d.s.restartAt));
  }

  private static void say(Draft d, String reason, String message) {
    d.condition("Restarting", true, reason, message);
    // A canary's own message says more; a stable Rollout's says what is going on.
    if (d.s.state == RevisionState.Stable) {
      d.s.message = "restarting: " + message;
    }
  }

  /** Why no pod may go now (one is still leaving, or not every pod is ready), or null. */
  private static String settling(RolloutDecider.Ctx c, List<PodView> ours, Set<String> revisions) {
    WorkloadView w = c.obs().workload();
    StatefulSetView sts = w == null ? null : w.statefulSet();
    if (Partitions.inPlace(c.spec()) && (sts == null || !sts.settled())) {
      // A StatefulSet's pods are one set, whatever revision each runs, and a pod being recreated
      // is not among them yet: every ordinal Ready, or none goes.
      return sts == null
          ? "its StatefulSet is not read"
          : "StatefulSet "
              + sts.name()
              + " has "
              + sts.pods().stream().filter(p -> p.ready() && !p.terminating()).count()
              + "/"
              + sts.replicas()
              + " pods Ready";
    }
    DaemonSetView ds = w == null ? null : w.daemonSet();
    if (NodeWalk.inPlace(c.spec())) {
      // A DaemonSet's evicted pod comes back on its template, which is the canary's mid-walk.
      if (ds == null) return "its DaemonSet is not read";
      if (ds.templateRevision() == null
          || !ds.templateRevision().equals(c.d().s.stableRevision)
          || c.d().s.canaryRevision != null) {
        return "DaemonSet "
            + ds.name()
            + " recreates an evicted pod from its template, "
            + ds.templateRevision()
            + ": the restart waits until no canary is under way";
      }
      if (!ds.settled())
        return "not every Ready node of DaemonSet " + ds.name() + " has its pod Ready";
    }
    for (PodView p : ours) {
      if (p.terminating()) return "pod " + p.name() + " is terminating";
      if (!p.ready()) return "pod " + p.name() + " is not ready";
    }
    for (String rev : revisions) {
      ReplicaSetView rs = c.obs().rs(rev);
      long live = ours.stream().filter(p -> p.revision().equals(rev)).count();
      if (rs != null && (rs.readyReplicas() < rs.replicas() || live < rs.replicas())) {
        return "ReplicaSet of revision "
            + rev
            + " has "
            + rs.readyReplicas()
            + "/"
            + rs.replicas()
            + " ready";
      }
    }
    return null;
  }
}
