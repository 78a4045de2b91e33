package dev.slipway.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.ValidationRule;

@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "has(self.min) || has(self.max)",
    message = "a threshold needs min, max, or both")
@ValidationRule(
    value = "!has(self.min) || !has(self.max) || self.min <= self.max",
    message = "threshold min must not exceed max")
public record ThresholdSpec(
    @JsonPropertyDescription("Lowest acceptable value, inclusive.") Double min,
    @JsonPropertyDescription("Highest acceptable value, inclusive.") Double max) {}
