package dev.slipway.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "!has(self.alpha) || (self.alpha > 0.0 && self.alpha < 1.0)",
    message = "alpha must be between 0 and 1")
public record MannWhitneySpec(
    @JsonPropertyDescription("Significance level. Defaults to 0.05.") Double alpha,
    @Size(max = 32)
        @Pattern(Durations.PATTERN)
        @JsonPropertyDescription("Spacing of the samples taken over the window. Defaults to 10s.")
        String step) {}
