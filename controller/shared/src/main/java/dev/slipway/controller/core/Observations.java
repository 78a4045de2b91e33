package dev.slipway.controller.core;

import dev.slipway.analysis.run.RunResult;
import dev.slipway.api.v1alpha1.StepPlan;
import java.util.List;
import java.util.Map;

/**
 * Everything the decision core may know about the world, gathered by the reconciler.
 *
 * @param generation metadata.generation of the Rollout
 * @param desiredRevision pod-template hash of spec.template
 * @param replicaSets the Rollout's ReplicaSets by revision
 * @param traffic route weights as accepted by the gateway; null when the Rollout routes no traffic
 * @param analysis the canary revision's analysis runs by step index ({@link #BACKGROUND} for
 *     background analysis)
 * @param request a pending manual request, or null
 * @param services the stable and canary Services as they are; null when not observed
 * @param conflict why another Rollout owns a Service or route rule this one names, or null
 * @param pods the Rollout's pods, read only while a restart is asked for or under way; null
 *     otherwise
 * @param workload the workload spec.workloadRef names, read only while it is set; null otherwise
 * @param analysisPlan the canary revision's power plan (what each analysis step can detect); null
 *     when none
 * @param images the desired revision's images checked against the image policies that bind it
 *     (spec.imagePolicy, the platform's for the namespace); null when none binds
 */
public record Observations(
    long generation,
    String desiredRevision,
    Map<String, ReplicaSetView> replicaSets,
    TrafficView traffic,
    Map<Integer, RunResult> analysis,
    ManualAction request,
    ServicesView services,
    String conflict,
    List<PodView> pods,
    WorkloadView workload,
    List<StepPlan> analysisPlan,
    ImageVerdict images) {

  /** Without Services or claims observed (table tests of the rest). */
  public Observations(
      long generation,
      String desiredRevision,
      Map<String, ReplicaSetView> replicaSets,
      TrafficView traffic,
      Map<Integer, RunResult> analysis,
      ManualAction request) {
    this(
        generation,
        desiredRevision,
        replicaSets,
        traffic,
        analysis,
        request,
        null,
        null,
        null,
        null,
        null,
        null);
  }

  /** The key of background analysis in {@link #analysis()}. */
  public static final int BACKGROUND = -1;

  public ReplicaSetView rs(String revision) {
    return revision == null ? null : replicaSets.get(revision);
  }

  public int ready(String revision) {
    ReplicaSetView v = rs(revision);
    return v == null ? 0 : v.readyReplicas();
  }
}
