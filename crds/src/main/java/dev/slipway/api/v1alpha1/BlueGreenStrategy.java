package dev.slipway.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.ArrayList;
import java.util.List;

/**
 * Blue/green: the new revision comes up in full behind the preview Service, is analysed there, and
 * takes all traffic at once when promoted.
 *
 * <p>It runs on the canary machinery, as the steps {@link #asCanary()} spells out, so the state
 * machine, the evidence, manual actions, the post-promotion window and the scale-down delay are the
 * same ones, with the same legal transitions.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "self.activeService != self.previewService",
    message =
        "spec.strategy.blueGreen: activeService and previewService must name different Services",
    fieldPath = ".previewService")
public record BlueGreenStrategy(
    @Required
        @Size(min = 1, max = 63)
        @Pattern(CanaryStrategy.DNS_LABEL)
        @JsonPropertyDescription(
            "Service that users reach: it selects the active revision, and the new one once promoted.")
        String activeService,
    @Required
        @Size(min = 1, max = 63)
        @Pattern(CanaryStrategy.DNS_LABEL)
        @JsonPropertyDescription(
            "Service that selects the new revision while it is previewed (for testers, smoke tests and the pre-promotion analysis).")
        String previewService,
    @JsonPropertyDescription(
            "Optional. When set, the switch is made by the HTTPRoute: the preview Service's weight goes 0 -> 100 (and is verified accepted) before the Services' selectors swap and it goes back to 0. Without it, the switch is the active Service's selector moving to the new revision.")
        TrafficRouting trafficRouting,
    @Min(1)
        @JsonPropertyDescription(
            "Pods of the new revision while it is previewed. Defaults to spec.replicas: the new revision is fully provisioned before it takes traffic.")
        Integer previewReplicas,
    @JsonPropertyDescription(
            "Analysis against the preview before promotion. Successful goes on; Failed or Error past its limit rolls back; Inconclusive pauses.")
        AnalysisStep prePromotionAnalysis,
    @Size(max = 32)
        @Pattern(Durations.PATTERN)
        @JsonPropertyDescription(
            "Promote by itself this long after the preview is ready (and its analysis passed). Absent: wait for a manual promote (kubectl slipway promote, or Resume). 0s promotes at once.")
        String autoPromotionAfter,
    @JsonPropertyDescription(
            "An observation window after the switch, with optional analysis, before the revision is recorded Stable; the previous revision stays scaled up meanwhile, so a rollback is immediate.")
        PostPromotion postPromotion,
    @Size(max = 32)
        @Pattern(Durations.PATTERN)
        @JsonPropertyDescription(
            "How long the previous revision's pods keep running after the switch (or an aborted preview's after its traffic left). Default 10s.")
        String scaleDownDelay,
    @JsonPropertyDescription(
            "Change approval, as for canaries: refuse a manual promotion by the change's author, or when either is unknown.")
        Boolean requireDistinctApprover) {

  /**
   * The canary steps blue/green is: scale the preview in full, analyse it, wait for promotion; with
   * a route, then move all traffic to the preview Service before the selectors swap.
   */
  public CanaryStrategy asCanary() {
    List<CanaryStep> steps = new ArrayList<>();
    steps.add(
        CanaryStep.scale(
            previewReplicas == null
                ? new SetCanaryScale(null, 100, null)
                : new SetCanaryScale(previewReplicas, null, null)));
    if (prePromotionAnalysis != null) {
      steps.add(CanaryStep.analysis(prePromotionAnalysis));
    }
    if (autoPromotionAfter == null || !zero(autoPromotionAfter)) {
      steps.add(CanaryStep.pause(autoPromotionAfter));
    }
    if (trafficRouting != null) {
      steps.add(CanaryStep.weight(100));
    }
    return new CanaryStrategy(
        activeService,
        previewService,
        trafficRouting,
        null,
        postPromotion,
        scaleDownDelay,
        requireDistinctApprover,
        steps);
  }

  /**
   * An unparsable duration is not zero: the pause step keeps it, and the spec check names the
   * field.
   */
  private static boolean zero(String duration) {
    try {
      return Durations.parse(duration).isZero();
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
