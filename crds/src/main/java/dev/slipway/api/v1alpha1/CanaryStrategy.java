package dev.slipway.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.time.Duration;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "self.stableService != self.canaryService",
    message = "spec.strategy.canary: stableService and canaryService must name different Services",
    fieldPath = ".canaryService")
@ValidationRule(
    value =
        "has(self.trafficRouting) || !has(self.steps) || !self.steps.exists(s, has(s.setWeight) || has(s.setHeaderRoute) || has(s.setMirrorRoute))",
    message =
        "spec.strategy.canary.trafficRouting: setWeight, setHeaderRoute and setMirrorRoute steps need trafficRouting.gatewayAPI with at least one HTTPRoute or GRPCRoute",
    fieldPath = ".steps")
@ValidationRule(
    value =
        "!has(self.trafficRouting) || !has(self.trafficRouting.gatewayAPI) || !has(self.trafficRouting.gatewayAPI.grpcRoutes) || !has(self.steps) || !self.steps.exists(s, has(s.setMirrorRoute))",
    message =
        "spec.strategy.canary.steps: setMirrorRoute mirrors HTTPRoutes only; a Rollout with grpcRoutes takes weights and segments",
    fieldPath = ".steps")
@ValidationRule(
    value =
        "!has(self.steps) || !self.steps.exists(s, has(s.setHeaderRoute) && has(s.setHeaderRoute.match) && s.setHeaderRoute.match.exists(m, has(m.grpcMethod)))"
            + " || (has(self.trafficRouting) && has(self.trafficRouting.gatewayAPI) && has(self.trafficRouting.gatewayAPI.grpcRoutes) && !has(self.trafficRouting.gatewayAPI.httpRoutes))",
    message =
        "spec.strategy.canary.steps: a grpcMethod segment needs trafficRouting.gatewayAPI.grpcRoutes and no httpRoutes (an HTTPRoute has no gRPC method to match)",
    fieldPath = ".steps")
public record CanaryStrategy(
    @Required
        @Size(min = 1, max = 63)
        @Pattern(DNS_LABEL)
        @JsonPropertyDescription(
            "Service whose selector the controller points at the stable ReplicaSet. It must be a backendRef of the HTTPRoute.")
        String stableService,
    @Required
        @Size(min = 1, max = 63)
        @Pattern(DNS_LABEL)
        @JsonPropertyDescription(
            "Service whose selector the controller points at the canary ReplicaSet. It must be a backendRef of the HTTPRoute.")
        String canaryService,
    @JsonPropertyDescription("Where traffic weights are written.") TrafficRouting trafficRouting,
    @JsonPropertyDescription(
            "Analysis that runs in the background from the first step until promotion. Failed or Error rolls back at once; Inconclusive pauses.")
        AnalysisStep backgroundAnalysis,
    @JsonPropertyDescription(
            "An observation window after promotion, with optional analysis, before the revision is recorded Stable.")
        PostPromotion postPromotion,
    @Size(max = 32)
        @Pattern(Durations.PATTERN)
        @JsonPropertyDescription(
            "How long pods that have just lost their traffic keep running before they are scaled down: an aborted or rolled-back canary once the gateway accepted weight 0, the previous stable once promotion moved all traffic. A gateway reports a route Accepted before its data plane serves it, and endpoint changes reach it later still, so requests routed meanwhile must still find their pods. Default 10s; 0s scales down at once.")
        String scaleDownDelay,
    @JsonPropertyDescription(
            "Change approval (SOC 2 CC8.1): refuse a manual Promote, PromoteFull, or a Resume that completes a step, when its requestedBy is the change's author (annotation slipway.dev/author), or when either is unknown. The refusal shows in status.lastAction and a Warning Event.")
        Boolean requireDistinctApprover,
    @Size(max = 64)
        @JsonPropertyDescription(
            "Ordered canary steps. Each step sets exactly one action. With no steps, a new revision is promoted once its pods are ready.")
        List<CanaryStep> steps) {

  static final String DNS_LABEL = "^[a-z]([-a-z0-9]*[a-z0-9])?$";

  /** Without change approval (the common case, and what specs written before it say). */
  public CanaryStrategy(
      String stableService,
      String canaryService,
      TrafficRouting trafficRouting,
      AnalysisStep backgroundAnalysis,
      PostPromotion postPromotion,
      String scaleDownDelay,
      List<CanaryStep> steps) {
    this(
        stableService,
        canaryService,
        trafficRouting,
        backgroundAnalysis,
        postPromotion,
        scaleDownDelay,
        null,
        steps);
  }

  public static final Duration DEFAULT_SCALE_DOWN_DELAY = Duration.ofSeconds(10);

  public Duration scaleDownDelayOrDefault() {
    return scaleDownDelay == null ? DEFAULT_SCALE_DOWN_DELAY : Durations.parse(scaleDownDelay);
  }

  public List<CanaryStep> stepsOrEmpty() {
    return steps == null ? List.of() : steps;
  }
}
