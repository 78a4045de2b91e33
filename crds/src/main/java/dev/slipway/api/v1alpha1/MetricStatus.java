package dev.slipway.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

@JsonInclude(JsonInclude.Include.NON_NULL)
public record MetricStatus(
    @JsonPropertyDescription("Metric name.") String name,
    @JsonPropertyDescription("Running, Successful, Failed, Inconclusive or Error.") String verdict,
    @JsonPropertyDescription("Why, in words.") String message,
    @JsonPropertyDescription("The canary's last measured value.") Double value,
    @JsonPropertyDescription("The stable's last measured value, when compared.") Double baseline,
    @JsonPropertyDescription("What the value must satisfy.") String condition,
    @JsonPropertyDescription("Measurements taken.") Integer measurements,
    @JsonPropertyDescription("Of which Failed.") Integer failed,
    @JsonPropertyDescription("Of which Inconclusive.") Integer inconclusive,
    @JsonPropertyDescription("Of which Error.") Integer errors,
    @JsonPropertyDescription("True when the metric is measured but never decides.")
        Boolean dryRun) {}
