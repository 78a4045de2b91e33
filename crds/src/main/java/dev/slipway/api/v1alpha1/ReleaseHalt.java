package dev.slipway.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The rollback that halted a fleet release. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ReleaseHalt(
    @JsonPropertyDescription("The wave whose Rollout was rolled back.") String wave,
    @JsonPropertyDescription("The member cluster.") String cluster,
    @JsonPropertyDescription("The Rollout's namespace.") String namespace,
    @JsonPropertyDescription("The Rollout.") String rollout,
    @JsonPropertyDescription(
            "The head of the Rollout's evidence record as the hub saw the rollback (REVISION/aATTEMPT#SEQ:HASH).")
        String recordHead,
    @JsonPropertyDescription("The Rollout's own account of the rollback (its status.message).")
        String reason,
    @JsonPropertyDescription("When the hub saw it (RFC 3339).") String at) {}
