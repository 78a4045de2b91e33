package dev.slipway.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.kubernetes.model.annotation.LabelSelector;
import io.fabric8.kubernetes.model.annotation.StatusReplicas;
import java.util.List;

/**
 * Everything the controller knows lives here, so a restarted controller resumes at the same step.
 * Only {@code request} is written by people; the controller writes the rest.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RolloutStatus(
    @JsonPropertyDescription("The metadata.generation the controller last acted on.")
        Long observedGeneration,
    @JsonPropertyDescription("Argo CD-compatible health: Progressing, Paused, Healthy or Degraded.")
        Phase phase,
    @JsonPropertyDescription(
            "Lifecycle state of the revision named by stateRevision: Pending, Ready, Canary, Paused, Promoted, Stable, RolledBack or Superseded. It changes only along the legal transitions of that one revision; when stateRevision changes, a new revision is described.")
        RevisionState state,
    @JsonPropertyDescription(
            "The revision (pod-template hash) whose state is given: the canary while one is in flight or was just rolled back, otherwise the stable revision.")
        String stateRevision,
    @JsonPropertyDescription(
            "Human-readable summary of what the controller is doing or waiting for.")
        String message,
    @JsonPropertyDescription(
            "Index of the canary step being executed; equals the step count once all steps are done.")
        Integer currentStepIndex,
    @JsonPropertyDescription(
            "The step for people, counted from 1: '2/3' while the canary runs step 2 of 3; empty with no canary in flight.")
        String step,
    @JsonPropertyDescription("Pod-template hash of the stable revision.") String stableRevision,
    @JsonPropertyDescription("Pod-template hash of the canary revision, while one is in flight.")
        String canaryRevision,
    @JsonPropertyDescription(
            "The stable revision before this promotion, kept scaled up through the post-promotion window so a rollback is immediate.")
        String promotedFrom,
    @JsonPropertyDescription("When the post-promotion observation window began (RFC 3339).")
        String observingSince,
    @JsonPropertyDescription(
            "When the pods that have just lost their traffic (an aborted canary, the previous stable) may scale down: when the gateway accepted the move, plus spec.strategy.canary.scaleDownDelay (RFC 3339).")
        String scaleDownAt,
    @JsonPropertyDescription(
            "When the pods of the revision this one replaced may scale down, if that revision had lost its traffic only moments before (an aborted or rolled-back canary still within its scaleDownDelay) (RFC 3339).")
        String replacedScaleDownAt,
    @JsonPropertyDescription(
            "Attempt number of the desired revision: 1, then one more per retry. Names its evidence record.")
        Integer attempt,
    @JsonPropertyDescription("Canary weight the controller wants on the routes.")
        Integer desiredWeight,
    @JsonPropertyDescription(
            "The header segment the controller wants routed to the canary (from the last setHeaderRoute step); absent when none.")
        SetHeaderRoute headerRoute,
    @JsonPropertyDescription(
            "The percentage of requests the controller wants mirrored to the canary (from the last setMirrorRoute step); absent when none.")
        Integer mirrorPercent,
    @JsonPropertyDescription(
            "Canary weight every route carries and every parent has accepted at its current generation.")
        Integer verifiedWeight,
    @Size(max = 16) @JsonPropertyDescription("Per-route weight verification.")
        List<RouteStatus> routes,
    @Size(max = 8) @JsonPropertyDescription("Why the canary is paused; empty when it is not.")
        List<PauseCondition> pauseConditions,
    @JsonPropertyDescription(
            "True once the canary was aborted; traffic goes back to stable, then the canary scales down.")
        Boolean abort,
    @JsonPropertyDescription("The canary pod-count override from the last setCanaryScale step.")
        SetCanaryScale canaryScale,
    @JsonPropertyDescription(
            "When the desired revision last made progress (RFC 3339); the progress deadline counts from here.")
        String lastProgressTime,
    @JsonPropertyDescription(
            "A pending manual action, written by a person through the status subresource.")
        ManualRequest request,
    @JsonPropertyDescription("The last manual action carried out, with who asked and when.")
        ActionRecord lastAction,
    @JsonPropertyDescription(
            "Analysis verdict per step index, as 'index=verdict' strings, for the current revision.")
        @Size(max = 64)
        List<String> analysisVerdicts,
    @Size(max = 8)
        @JsonPropertyDescription(
            "The current revision's analysis runs (steps and background): verdicts, last values and conditions.")
        List<AnalysisRunStatus> analysisRuns,
    @Size(max = 32)
        @JsonPropertyDescription(
            "Power planning for the canary in flight: for each analysis step's sequential metric, the smallest effects it can detect at its weight and exposure, from the stable's traffic before the canary.")
        List<StepPlan> analysisPlan,
    @JsonPropertyDescription(
            "Total pods of this Rollout: stable, canary and any still scaling down.")
        Integer replicas,
    @StatusReplicas
        @JsonPropertyDescription(
            "Pods of the revision spec.replicas sizes: the stable ReplicaSet's (the first revision's before there is one). The scale subresource reports this, not the total, so that an HorizontalPodAutoscaler does not take the canary's pods for its own and grow the stable side by them on every pass (argo-rollouts #2857); the HPA's metrics still cover every pod its selector matches.")
        Integer scaleReplicas,
    @JsonPropertyDescription("Ready pods of this Rollout.") Integer readyReplicas,
    @LabelSelector
        @JsonPropertyDescription(
            "Label selector of this Rollout's pods, in string form (scale subresource, for HPA).")
        String selector,
    @Size(max = 16) @JsonPropertyDescription("Conditions in the Kubernetes convention.")
        List<Condition> conditions,
    @JsonPropertyDescription(
            "The head of the current attempt's evidence record as REVISION/aATTEMPT#SEQ:HASH, so that a record truncated or deleted after the fact is noticed by `kubectl slipway evidence verify --rollout`.")
        String evidenceHead,
    @JsonPropertyDescription(
            "While a restart runs: pods created before this time (RFC 3339) are evicted one at a time, each only once every pod of its ReplicaSet is ready.")
        String restartAt,
    @JsonPropertyDescription(
            "While adopting spec.workloadRef: when its Deployment may be scaled to 0, the Services having selected the Rollout's ready pods since a scale-down delay before (RFC 3339).")
        String adoptionScaleDownAt,
    @JsonPropertyDescription(
            "When the last restart finished: every pod of the stable and canary ReplicaSets was then younger than its restartAt (RFC 3339).")
        String restartedAt,
    @JsonPropertyDescription(
            "For a StatefulSet walked in place (workloadRef.kind StatefulSet): its pods on the canary revision out of all, with their ordinals and the partition held, e.g. '1/3 ordinals [2], partition 2'; for a DaemonSet walked node by node: its nodes on the canary revision out of all Ready ones, e.g. '1/4 nodes [node-a]'; empty for other kinds.")
        String updated,
    @JsonPropertyDescription(
            "For a DaemonSet walked node by node, or a StatefulSet walked in place whose controller had made the canary current: the revision whose rollback wrote the stable revision's template back into the workload. While it is set, that template in the workload is Slipway's doing, not a revert from Git, and the rolled-back revision stays the desired one; it goes when another revision arrives.")
        String templateRestoredFor) {

  public static RolloutStatus empty() {
    return new Builder().build();
  }

  public Builder toBuilder() {
    return new Builder(this);
  }

  public List<Condition> conditionsOrEmpty() {
    return conditions == null ? List.of() : conditions;
  }

  /** Copy-with for a record of this width; keeps the decision core free of mutation. */
  public static final class Builder {
    public Long observedGeneration;
    public String step;
    public Phase phase;
    public RevisionState state;
    public String stateRevision;
    public String message;
    public Integer currentStepIndex;
    public String stableRevision;
    public String canaryRevision;
    public String promotedFrom;
    public String observingSince;
    public String scaleDownAt;
    public String replacedScaleDownAt;
    public Integer attempt;
    public Integer desiredWeight;
    public SetHeaderRoute headerRoute;
    public Integer mirrorPercent;
    public Integer verifiedWeight;
    public List<RouteStatus> routes;
    public List<PauseCondition> pauseConditions;
    public Boolean abort;
    public SetCanaryScale canaryScale;
    public String lastProgressTime;
    public ManualRequest request;
    public ActionRecord lastAction;
    public List<String> analysisVerdicts;
    public List<AnalysisRunStatus> analysisRuns;
    public List<StepPlan> analysisPlan;
    public Integer replicas;
    public Integer scaleReplicas;
    public Integer readyReplicas;
    public String selector;
    public List<Condition> conditions;
    public String evidenceHead;
    public String restartAt;
    public String adoptionScaleDownAt;
    public String restartedAt;
    public String updated;
    public String templateRestoredFor;

    public Builder() {}

    Builder(RolloutStatus s) {
      observedGeneration = s.observedGeneration;
      phase = s.phase;
      state = s.state;
      stateRevision = s.stateRevision;
      message = s.message;
      currentStepIndex = s.currentStepIndex;
      stableRevision = s.stableRevision;
      canaryRevision = s.canaryRevision;
      promotedFrom = s.promotedFrom;
      observingSince = s.observingSince;
      scaleDownAt = s.scaleDownAt;
      replacedScaleDownAt = s.replacedScaleDownAt;
      attempt = s.attempt;
      desiredWeight = s.desiredWeight;
      headerRoute = s.headerRoute;
      mirrorPercent = s.mirrorPercent;
      verifiedWeight = s.verifiedWeight;
      routes = s.routes;
      pauseConditions = s.pauseConditions;
      abort = s.abort;
      canaryScale = s.canaryScale;
      lastProgressTime = s.lastProgressTime;
      request = s.request;
      lastAction = s.lastAction;
      analysisVerdicts = s.analysisVerdicts;
      analysisRuns = s.analysisRuns;
      analysisPlan = s.analysisPlan;
      replicas = s.replicas;
      scaleReplicas = s.scaleReplicas;
      readyReplicas = s.readyReplicas;
      selector = s.selector;
      conditions = s.conditions;
      evidenceHead = s.evidenceHead;
      step = s.step;
      restartAt = s.restartAt;
      adoptionScaleDownAt = s.adoptionScaleDownAt;
      restartedAt = s.restartedAt;
      updated = s.updated;
      templateRestoredFor = s.templateRestoredFor;
    }

    public RolloutStatus build() {
      return new RolloutStatus(
          observedGeneration,
          phase,
          state,
          stateRevision,
          message,
          currentStepIndex,
          step,
          stableRevision,
          canaryRevision,
          promotedFrom,
          observingSince,
          scaleDownAt,
          replacedScaleDownAt,
          attempt,
          desiredWeight,
          headerRoute,
          mirrorPercent,
          verifiedWeight,
          routes,
          pauseConditions,
          abort,
          canaryScale,
          lastProgressTime,
          request,
          lastAction,
          analysisVerdicts,
          analysisRuns,
          analysisPlan,
          replicas,
          scaleReplicas,
          readyReplicas,
          selector,
          conditions,
          evidenceHead,
          restartAt,
          adoptionScaleDownAt,
          restartedAt,
          updated,
          templateRestoredFor);
    }
  }
}
