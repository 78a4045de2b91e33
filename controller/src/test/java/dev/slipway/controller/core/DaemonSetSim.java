package dev.slipway.controller.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.api.v1alpha1.RolloutStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A DaemonSet with updateStrategy OnDelete as its controller keeps it, for table and property
 * tests: a pod per node, each on the revision of the template it was made from; a deleted pod comes
 * back on the template held then. Git (Argo CD) applies a template; a pass may write one back from
 * a kept ControllerRevision. It checks what no pass may do: replace a pod while another Ready
 * node's pod is not Ready, one on a node not Ready, or one onto a revision other than the
 * template's.
 */
final class DaemonSetSim {
  final String name = "agent";
  final String[] nodes;
  final boolean[] nodeReady;
  final List<Map<String, String>> labels = new ArrayList<>();
  final String[] revisions;
  final boolean[] ready;
  final int[] restarts;
  final Instant[] created;
  String template;

  /** The last template Git applied. */
  String applied;

  /** Revisions whose ControllerRevision it keeps. */
  final Set<String> kept = new HashSet<>();

  /** Every pod replaced by a pass, as "node:from->to", in order. */
  final List<String> replaced = new ArrayList<>();

  /** Every template a pass wrote, in order. */
  final List<String> written = new ArrayList<>();

  Instant now = Instant.EPOCH;

  DaemonSetSim(int nodeCount, String revision) {
    nodes = new String[nodeCount];
    nodeReady = new boolean[nodeCount];
    revisions = new String[nodeCount];
    ready = new boolean[nodeCount];
    restarts = new int[nodeCount];
    created = new Instant[nodeCount];
    for (int i = 0; i < nodeCount; i++) {
      nodes[i] = "node-" + i;
      nodeReady[i] = true;
      revisions[i] = revision;
      ready[i] = true;
      created[i] = Instant.EPOCH;
      labels.add(Map.of("zone", i % 2 == 0 ? "a" : "b"));
    }
    template = revision;
    applied = revision;
    kept.add(revision);
  }

  /** Git applies {@code desired} when it differs from what it applied last; the revision wanted. */
  String desired(String desired, RolloutStatus status) {
    if (!desired.equals(applied)) {
      applied = desired;
      template = desired;
      kept.add(desired);
    }
    return NodeWalk.desiredRevision(status, template);
  }

  DaemonSetView view() {
    List<DaemonSetView.NodeSlot> slots = new ArrayList<>();
    for (int i = 0; i < nodes.length; i++) {
      slots.add(
          new DaemonSetView.NodeSlot(
              nodes[i],
              nodeReady[i],
              labels.get(i),
              List.of(
                  new PodView(
                      name + "-" + i + "-" + restarts[i],
                      "uid-" + i + "-" + restarts[i],
                      revisions[i],
                      created[i],
                      ready[i],
                      false))));
    }
    return new DaemonSetView(name, template, slots, kept);
  }

  int readyNodes() {
    int n = 0;
    for (boolean r : nodeReady) if (r) n++;
    return n;
  }

  /** The pods of each revision on Ready nodes, as the core sees them (ReplicaSet-like views). */
  void observe(Fixtures.Obs o) {
    Map<String, int[]> by = new TreeMap<>();
    for (int i = 0; i < nodes.length; i++) {
      if (!nodeReady[i]) continue;
      int[] n = by.computeIfAbsent(revisions[i], k -> new int[2]);
      n[0]++;
      if (ready[i]) n[1]++;
    }
    by.forEach((rev, n) -> o.rs(rev, n[0], n[1]));
  }

  boolean settled() {
    for (int i = 0; i < nodes.length; i++) if (nodeReady[i] && !ready[i]) return false;
    return true;
  }

  void apply(Action a) {
    if (a instanceof Action.ReplacePod r) {
      int i = index(r.node());
      assertTrue(settled(), "replaced the pod on " + r.node() + " while a pod was not Ready");
      assertTrue(nodeReady[i], "replaced the pod on " + r.node() + ", which is not Ready");
      assertEquals(template, r.to(), "a replaced pod comes back on the template");
      assertEquals(revisions[i], r.from(), "the pod replaced runs what it said");
      replaced.add(r.node() + ":" + revisions[i] + "->" + template);
      recreate(i);
    } else if (a instanceof Action.WriteTemplate w) {
      assertTrue(kept.contains(w.revision()), "wrote " + w.revision() + ", not kept");
      template = w.revision();
      written.add(w.revision());
    } else if (a instanceof Action.EvictPod e) {
      int i = -1;
      for (int j = 0; j < nodes.length; j++) {
        if (e.uid().equals("uid-" + j + "-" + restarts[j])) i = j;
      }
      assertTrue(i >= 0, "evicted an unknown pod " + e);
      assertTrue(settled(), "evicted " + e.name() + " while a pod was not Ready");
      recreate(i);
    } else {
      assertTrue(
          !(a instanceof Action.EnsureReplicaSet
              || a instanceof Action.ScaleReplicaSet
              || a instanceof Action.PruneHistory
              || a instanceof Action.ScaleWorkload
              || a instanceof Action.SetPartition),
          "a ReplicaSet, Deployment or StatefulSet action for a DaemonSet: " + a);
    }
  }

  /** Between passes: pods on Ready nodes get Ready. */
  void tick(boolean podsGetReady) {
    if (!podsGetReady) return;
    for (int i = 0; i < nodes.length; i++) if (nodeReady[i]) ready[i] = true;
  }

  @Override
  public String toString() {
    return "DaemonSet: template "
        + template
        + ", Git applied "
        + applied
        + ", nodes "
        + java.util.Arrays.toString(revisions)
        + ", written "
        + written
        + ", replaced "
        + replaced;
  }

  int index(String node) {
    for (int i = 0; i < nodes.length; i++) if (nodes[i].equals(node)) return i;
    throw new AssertionError("no node " + node);
  }

  private void recreate(int i) {
    revisions[i] = template;
    ready[i] = false;
    restarts[i]++;
    created[i] = now;
  }
}
