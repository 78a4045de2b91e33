package dev.slipway.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** A condition in the Kubernetes API convention (metav1.Condition). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Condition(
    @Required
        @JsonPropertyDescription("Condition type, e.g. Progressing, TrafficRouted, InvalidSpec.")
        String type,
    @Required @JsonPropertyDescription("True, False or Unknown.") String status,
    @Required @JsonPropertyDescription("CamelCase reason for the last transition.") String reason,
    @JsonPropertyDescription("Human-readable detail.") String message,
    @Required @JsonPropertyDescription("When status last changed (RFC 3339).")
        String lastTransitionTime,
    @JsonPropertyDescription("The metadata.generation this condition was computed from.")
        Long observedGeneration) {}
