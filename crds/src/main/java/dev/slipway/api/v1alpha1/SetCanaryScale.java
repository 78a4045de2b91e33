package dev.slipway.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Map;

@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value =
        "(has(self.replicas) ? 1 : 0) + (has(self.weight) ? 1 : 0) + (has(self.matchTrafficWeight) && self.matchTrafficWeight ? 1 : 0) + (has(self.nodeSelector) ? 1 : 0) == 1",
    message =
        "setCanaryScale must set exactly one of replicas, weight, matchTrafficWeight=true, nodeSelector")
public record SetCanaryScale(
    @Min(0) @JsonPropertyDescription("Exact number of canary pods.") Integer replicas,
    @Min(0)
        @Max(100)
        @JsonPropertyDescription(
            "Canary pods as a percentage (0-100) of spec.replicas, rounded up.")
        Integer weight,
    @JsonPropertyDescription("Go back to sizing the canary from its traffic weight (the default).")
        Boolean matchTrafficWeight,
    @Size(min = 1)
        @JsonPropertyDescription(
            "DaemonSets only (workloadRef.kind DaemonSet): the canary runs on every Ready node whose labels include all of these (for example topology.kubernetes.io/zone), besides the nodes earlier steps updated; a region-by-region rollout is one step per zone.")
        Map<String, String> nodeSelector) {
  public SetCanaryScale(Integer replicas, Integer weight, Boolean matchTrafficWeight) {
    this(replicas, weight, matchTrafficWeight, null);
  }
}
