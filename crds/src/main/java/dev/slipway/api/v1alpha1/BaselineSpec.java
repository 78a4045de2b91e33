package dev.slipway.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;

@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value =
        "has(self.maxAbsoluteDegradation) || has(self.maxRelativeDegradation) || has(self.mannWhitney)",
    message = "a baseline needs maxAbsoluteDegradation, maxRelativeDegradation or mannWhitney")
public record BaselineSpec(
    @JsonPropertyDescription(
            "Which way the metric improves. Built-ins know (successRate: Higher, latencyP99: Lower); custom queries must say.")
        Direction better,
    @Min(0)
        @JsonPropertyDescription(
            "How much worse than stable the canary may be, in the metric's unit: 0.005 allows a success rate half a point lower.")
        Double maxAbsoluteDegradation,
    @Min(0)
        @JsonPropertyDescription(
            "How much worse than stable the canary may be, as a fraction of the stable value: 0.2 allows a P99 20% higher.")
        Double maxRelativeDegradation,
    @JsonPropertyDescription(
            "Also run a Mann-Whitney U test over the window's samples (exact p-values for small samples without ties); the canary fails when it is worse and p < alpha. U and p are recorded. The samples are the windowed value read at each step, so neighbours share most of their window and are not independent: the p-value is optimistic. For a stated error rate use a sequential metric.")
        MannWhitneySpec mannWhitney) {

  public enum Direction {
    Higher,
    Lower
  }
}
