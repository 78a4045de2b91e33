package dev.slipway.controller.core;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A StatefulSet as its controller keeps it, for table and property tests: a revision per ordinal,
 * the partition, the current revision. Between passes its controller updates the highest ordinal at
 * or above the partition not on the update revision, once every pod is Ready, and makes the update
 * revision current once every pod runs it; a replaced pod below the partition comes back on the
 * current revision. It also checks what no pass may do: replace a pod while another is not Ready,
 * or one on the current revision.
 */
final class StatefulSetSim {
  final String name = "db";
  final int replicas;
  int partition;
  String current;
  String update;
  final String[] revisions;
  final boolean[] ready;
  boolean parallel;

  /** Every pod replaced by a pass, as "ordinal:from->to", in order. */
  final List<String> replaced = new ArrayList<>();

  /** Every partition a pass wrote, in order. */
  final List<Integer> partitions = new ArrayList<>();

  /** How many times each ordinal's pod was recreated, by anyone. */
  final int[] restarts;

  /** When each ordinal's pod was created (a restart replaces those created before its time). */
  final Instant[] created;

  /** The world's clock, for the pods made now. */
  Instant now = Instant.EPOCH;

  /** The last template Git applied. */
  String applied;

  /** The revisions its ControllerRevisions keep. */
  final java.util.Set<String> kept = new java.util.TreeSet<>();

  /** Every template a pass wrote back, in order. */
  final List<String> written = new ArrayList<>();

  StatefulSetSim(int replicas, String revision) {
    this.replicas = replicas;
    this.current = revision;
    this.update = revision;
    this.applied = revision;
    kept.add(revision);
    this.revisions = new String[replicas];
    this.ready = new boolean[replicas];
    this.restarts = new int[replicas];
    this.created = new Instant[replicas];
    for (int i = 0; i < replicas; i++) {
      created[i] = Instant.EPOCH;
      revisions[i] = revision;
      ready[i] = true;
    }
  }

  StatefulSetView view() {
    List<PodView> pods = new ArrayList<>();
    for (int i = 0; i < replicas; i++) {
      pods.add(
          new PodView(
              name + "-" + i,
              "uid-" + i + "-" + restarts[i],
              revisions[i],
              created[i],
              ready[i],
              false));
    }
    return new StatefulSetView(
        name, replicas, partition, current, update, pods, parallel, List.copyOf(kept));
  }

  /**
   * Git applies {@code desired} when it differs from what it applied last (its template becomes the
   * update revision); the revision wanted, as the Rollout reads it.
   */
  String desired(String desired, dev.slipway.api.v1alpha1.RolloutStatus status) {
    if (!desired.equals(applied)) {
      applied = desired;
      update = desired;
      kept.add(desired);
    }
    return NodeWalk.desiredRevision(status, update);
  }

  /** The pods of each revision, as the core sees them (ReplicaSet-like views). */
  void observe(Fixtures.Obs o) {
    java.util.Map<String, int[]> by = new java.util.TreeMap<>();
    for (int i = 0; i < replicas; i++) {
      int[] n = by.computeIfAbsent(revisions[i], k -> new int[2]);
      n[0]++;
      if (ready[i]) n[1]++;
    }
    by.forEach((rev, n) -> o.rs(rev, n[0], n[1]));
  }

  boolean settled() {
    for (boolean r : ready) if (!r) return false;
    return true;
  }

  void apply(Action a, boolean podsGetReady) {
    if (a instanceof Action.SetPartition p) {
      assertTrue(p.partition() >= 0 && p.partition() <= replicas, "partition " + p);
      partition = p.partition();
      partitions.add(p.partition());
    } else if (a instanceof Action.ReplacePod r) {
      assertTrue(settled(), "replaced " + r.name() + " while a pod was not Ready");
      assertTrue(
          !revisions[r.ordinal()].equals(current),
          "replaced " + r.name() + ", which runs the current revision " + current);
      assertTrue(r.ordinal() < partition, "replaced " + r.name() + " at or above the partition");
      replaced.add(r.ordinal() + ":" + revisions[r.ordinal()] + "->" + current);
      recreate(r.ordinal(), current, podsGetReady);
    } else if (a instanceof Action.WriteTemplate w) {
      assertTrue(kept.contains(w.revision()), "wrote " + w + ", which no ControllerRevision keeps");
      assertTrue(
          !w.revision().equals(update), "wrote back " + w + ", the template it holds already");
      written.add(w.revision());
      update = w.revision();
    } else if (a instanceof Action.EvictPod e) {
      // A restart: its controller recreates the pod on the revision its ordinal is due.
      int i = Integer.parseInt(e.name().substring(e.name().lastIndexOf('-') + 1));
      assertTrue(settled(), "evicted " + e.name() + " while a pod was not Ready");
      recreate(i, i < partition ? current : update, podsGetReady);
    } else {
      assertTrue(
          !(a instanceof Action.EnsureReplicaSet
              || a instanceof Action.ScaleReplicaSet
              || a instanceof Action.PruneHistory
              || a instanceof Action.ScaleWorkload),
          "a ReplicaSet or Deployment action for a StatefulSet: " + a);
    }
  }

  /** Its controller between passes: pods get ready, one ordinal is updated, current follows. */
  void tick(boolean podsGetReady) {
    if (podsGetReady) java.util.Arrays.fill(ready, true);
    if (settled()) {
      for (int i = replicas - 1; i >= partition; i--) {
        if (!revisions[i].equals(update)) {
          recreate(i, update, podsGetReady);
          break;
        }
      }
    }
    boolean all = settled();
    for (String r : revisions) all &= r.equals(update);
    if (all) current = update;
  }

  private void recreate(int ordinal, String revision, boolean podsGetReady) {
    revisions[ordinal] = revision;
    ready[ordinal] = false;
    restarts[ordinal]++;
    created[ordinal] = now;
  }
}
