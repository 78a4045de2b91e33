package dev.slipway.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

@JsonInclude(JsonInclude.Include.NON_NULL)
public record Strategy(
    @Required
    @JsonPropertyDescription("Canary delivery through Gateway API HTTPRoute weights.")
    CanaryStrategy canary) {}
