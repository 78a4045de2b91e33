package dev.slipway.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * What one analysis step's sequential metric can see, planned from the stable's traffic before the
 * canary: the step's weight gives the canary its share of the requests for the metric's exposure.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StepPlan(
    @JsonPropertyDescription("Index of the analysis step.") Integer step,
    @JsonPropertyDescription("The sequential metric.") String metric,
    @JsonPropertyDescription("The canary weight the step runs at.") Integer weight,
    @JsonPropertyDescription(
            "Requests per second the canary will get at that weight, from the stable's rate over the planning window.")
        Double canaryRequestsPerSecond,
    @JsonPropertyDescription(
            "The smallest rise of the 5xx share the step can detect at the metric's power (0.005 is +0.5 percentage points); absent when it can detect none.")
        Double errorsDetectable,
    @JsonPropertyDescription(
            "The smallest relative slow-down of the latency quantile it can detect (0.2 is 20% slower); absent when it can detect none.")
        Double slowdownDetectable,
    @JsonPropertyDescription(
            "Whether the step can detect every effect the metric declares; when not, the step will end Inconclusive unless it is extended or its weight raised.")
        Boolean meetsDeclared,
    @JsonPropertyDescription("The plan in words.") String message) {}
