package dev.slipway.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * One burn-rate condition: the budget is burning too fast when the error ratio, divided by the
 * budget, exceeds factor over both windows. The short window makes the condition stop firing soon
 * after a problem ends; the long one keeps a brief spike from firing it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "self.factor > 0.0",
    message = "burnRates[].factor must be positive, e.g. 14.4",
    fieldPath = ".factor")
@ValidationRule(
    value = "duration(self.longWindow) >= duration('1s')",
    message = "burnRates[].longWindow must be at least 1s, e.g. 1h",
    fieldPath = ".longWindow")
@ValidationRule(
    value = "duration(self.shortWindow) >= duration('1s')",
    message = "burnRates[].shortWindow must be at least 1s, e.g. 5m",
    fieldPath = ".shortWindow")
@ValidationRule(
    value = "duration(self.shortWindow) <= duration(self.longWindow)",
    message = "burnRates[].shortWindow must not exceed longWindow",
    fieldPath = ".shortWindow")
public record BurnRateSpec(
    @Required
        @JsonPropertyDescription(
            "Allowed multiple of the steady burn rate (1 spends exactly the budget over the period), e.g. 14.4.")
        Double factor,
    @Required
        @Size(max = 32)
        @Pattern(Durations.PATTERN)
        @JsonPropertyDescription("The long window, e.g. 1h.")
        String longWindow,
    @Required
        @Size(max = 32)
        @Pattern(Durations.PATTERN)
        @JsonPropertyDescription(
            "The short window, e.g. 5m (the workbook uses a twelfth of the long one).")
        String shortWindow) {}
