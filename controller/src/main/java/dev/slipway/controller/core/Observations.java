package dev.slipway.controller.core;

import dev.slipway.analysis.AnalysisResult;
import java.util.Map;

/**
 * Everything the decision core may know about the world, gathered by the reconciler.
 *
 * @param generation metadata.generation of the Rollout
 * @param desiredRevision pod-template hash of spec.template
 * @param replicaSets the Rollout's ReplicaSets by revision
 * @param traffic route weights as accepted by the gateway; null when the Rollout routes no traffic
 * @param analysis verdicts for the canary revision by step index
 * @param request a pending manual request, or null
 */
public record Observations(
    long generation,
    String desiredRevision,
    Map<String, ReplicaSetView> replicaSets,
    TrafficView traffic,
    Map<Integer, AnalysisResult> analysis,
    ManualAction request) {

  public ReplicaSetView rs(String revision) {
    return revision == null ? null : replicaSets.get(revision);
  }

  public int ready(String revision) {
    ReplicaSetView v = rs(revision);
    return v == null ? 0 : v.readyReplicas();
  }
}
