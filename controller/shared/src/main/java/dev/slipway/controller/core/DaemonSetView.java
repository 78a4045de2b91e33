package dev.slipway.controller.core;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A DaemonSet walked node by node (spec.workloadRef kind DaemonSet), as a pass sees it.
 *
 * @param templateRevision the revision of its pod template now (the ControllerRevision its
 *     controller made for it last): what a pod deleted comes back on; null until its controller has
 *     seen the template
 * @param nodes the nodes it runs on (or should), by name, each with its pods
 * @param revisions the revisions whose ControllerRevision it still keeps: those whose template a
 *     rollback (or a retry) can write back
 */
public record DaemonSetView(
    String name, String templateRevision, List<NodeSlot> nodes, Set<String> revisions) {

  public DaemonSetView {
    nodes = nodes.stream().sorted(Comparator.comparing(NodeSlot::node)).toList();
    revisions = Set.copyOf(revisions);
  }

  /**
   * One node, as the walk needs it.
   *
   * @param ready its Ready condition is True: only such nodes are counted, updated and waited for
   * @param labels its labels, for setCanaryScale.nodeSelector
   * @param pods the DaemonSet's pods on it: one, or for a moment two (the old one terminating) or
   *     none (deleted, its successor not yet made)
   */
  public record NodeSlot(
      String node, boolean ready, Map<String, String> labels, List<PodView> pods) {
    public NodeSlot {
      labels = Map.copyOf(labels);
      pods = List.copyOf(pods);
    }

    /** The pod that is not going away, or null. */
    public PodView live() {
      return pods.stream().filter(p -> !p.terminating()).findFirst().orElse(null);
    }

    /** The revision of its live pod, or null. */
    public String revision() {
      PodView p = live();
      return p == null ? null : p.revision();
    }

    /** One pod, Ready, none going away: the moment a neighbour may be replaced. */
    public boolean settled() {
      return pods.size() == 1 && pods.get(0).ready() && !pods.get(0).terminating();
    }

    boolean matches(Map<String, String> selector) {
      return selector.entrySet().stream()
          .allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
    }
  }

  /** The nodes counted: those Ready. */
  public List<NodeSlot> readyNodes() {
    return nodes.stream().filter(NodeSlot::ready).toList();
  }

  /** The nodes skipped, not Ready. */
  public List<String> notReady() {
    return nodes.stream().filter(n -> !n.ready()).map(NodeSlot::node).toList();
  }

  /** Every Ready node has its one pod, Ready: the moment one more may be replaced. */
  public boolean settled() {
    return readyNodes().stream().allMatch(NodeSlot::settled);
  }

  /** Ready nodes whose pod runs {@code revision}. */
  public List<String> on(String revision) {
    return readyNodes().stream()
        .filter(n -> revision != null && revision.equals(n.revision()))
        .map(NodeSlot::node)
        .toList();
  }

  /**
   * The canary's nodes at a setCanaryScale.nodeSelector step: the Ready nodes it matches, and those
   * already on the canary (a step never takes a node back).
   */
  public int selected(Map<String, String> selector, String canary) {
    return (int)
        readyNodes().stream()
            .filter(n -> n.matches(selector) || (canary != null && canary.equals(n.revision())))
            .count();
  }
}
