package dev.slipway.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

@JsonInclude(JsonInclude.Include.NON_NULL)
public record TemplateRef(
    @Required
        @Size(min = 1, max = 253)
        @JsonPropertyDescription("Name of an AnalysisTemplate in the Rollout's namespace.")
        String templateName) {}
