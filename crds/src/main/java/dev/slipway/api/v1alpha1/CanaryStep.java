package dev.slipway.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** One canary step. Exactly one action is set. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value =
        "(has(self.setWeight) ? 1 : 0) + (has(self.pause) ? 1 : 0) + (has(self.setCanaryScale) ? 1 : 0) + (has(self.analysis) ? 1 : 0)"
            + " + (has(self.setHeaderRoute) ? 1 : 0) + (has(self.setMirrorRoute) ? 1 : 0) == 1",
    message =
        "each step must set exactly one of setWeight, pause, setCanaryScale, analysis, setHeaderRoute, setMirrorRoute")
public record CanaryStep(
    @Min(0)
        @Max(100)
        @JsonPropertyDescription(
            "Percentage (0-100) of the routes' traffic to send to the canary Service. The step completes when the gateway has accepted the weight.")
        Integer setWeight,
    @JsonPropertyDescription("Pause the canary, for a duration or until resumed.") PauseStep pause,
    @JsonPropertyDescription("Override the canary's pod count, independent of its traffic weight.")
        SetCanaryScale setCanaryScale,
    @JsonPropertyDescription(
            "Run metric analysis. Successful advances; Failed or Error past its limit rolls back; Inconclusive pauses.")
        AnalysisStep analysis,
    @JsonPropertyDescription(
            "Send the requests that match a segment (headers, cookies, and for GRPCRoutes a gRPC method) to the canary, through a rule of each route that Slipway adds and owns by name (slipway-<rollout>-segment-N). It stays until another setHeaderRoute replaces it, or until promotion or abort removes it.")
        SetHeaderRoute setHeaderRoute,
    @JsonPropertyDescription(
            "Mirror a percentage of the managed rules' requests to the canary (RequestMirror filter with percent). It stays until another setMirrorRoute changes it, or until promotion or abort removes it. The canary's pods are sized for the larger of its weight and this percentage.")
        SetMirrorRoute setMirrorRoute) {

  public enum Kind {
    SET_WEIGHT,
    PAUSE,
    SET_CANARY_SCALE,
    ANALYSIS,
    SET_HEADER_ROUTE,
    SET_MIRROR_ROUTE
  }

  /** Steps written before segments and mirroring existed. */
  public CanaryStep(
      Integer setWeight, PauseStep pause, SetCanaryScale setCanaryScale, AnalysisStep analysis) {
    this(setWeight, pause, setCanaryScale, analysis, null, null);
  }

  public Kind kind() {
    if (setWeight != null) return Kind.SET_WEIGHT;
    if (pause != null) return Kind.PAUSE;
    if (setCanaryScale != null) return Kind.SET_CANARY_SCALE;
    if (analysis != null) return Kind.ANALYSIS;
    if (setHeaderRoute != null) return Kind.SET_HEADER_ROUTE;
    if (setMirrorRoute != null) return Kind.SET_MIRROR_ROUTE;
    throw new IllegalStateException("step sets no action");
  }

  public static CanaryStep weight(int w) {
    return new CanaryStep(w, null, null, null);
  }

  public static CanaryStep pause(String duration) {
    return new CanaryStep(null, new PauseStep(duration), null, null);
  }

  public static CanaryStep scale(SetCanaryScale scale) {
    return new CanaryStep(null, null, scale, null);
  }

  public static CanaryStep analysis(AnalysisStep analysis) {
    return new CanaryStep(null, null, null, analysis);
  }

  public static CanaryStep headerRoute(SegmentMatch... match) {
    return new CanaryStep(null, null, null, null, new SetHeaderRoute(List.of(match)), null);
  }

  public static CanaryStep mirror(int percent) {
    return new CanaryStep(null, null, null, null, null, new SetMirrorRoute(percent));
  }
}
