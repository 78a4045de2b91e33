package dev.slipway.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

@JsonInclude(JsonInclude.Include.NON_NULL)
public record PauseCondition(
    @Required
        @JsonPropertyDescription(
            "Why the canary is paused: PauseStep, Manual, SpecPaused or AnalysisInconclusive.")
        PauseReason reason,
    @Required @JsonPropertyDescription("When the pause began (RFC 3339).") String startTime,
    @JsonPropertyDescription(
            "When a timed pause ends (RFC 3339). Absent for a pause that waits for a person.")
        String until,
    @JsonPropertyDescription("Human-readable detail, such as the inconclusive analysis reason.")
        String message) {}
