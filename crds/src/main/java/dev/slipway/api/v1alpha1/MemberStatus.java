package dev.slipway.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** One Rollout of a wave, in one member cluster, as the hub last saw it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MemberStatus(
    @JsonPropertyDescription("The member cluster: the name of its registration Secret.")
        String cluster,
    @JsonPropertyDescription("The Rollout's namespace in the member cluster.") String namespace,
    @JsonPropertyDescription("The Rollout's name.") String rollout,
    @JsonPropertyDescription(
            "Gated (waiting at its first step for the wave), the Rollout's state on the revision (Canary, Paused, Promoted, Stable, RolledBack), NotOnRevision (its template does not carry the release's image yet), Missing, or Unreachable.")
        String state,
    @JsonPropertyDescription(
            "The head of the Rollout's evidence record (its status.evidenceHead) when the hub last read it; for a passed wave, the head the hub verified as the wave passed.")
        String recordHead,
    @JsonPropertyDescription(
            "Whether the Rollout's records verified with the cluster's registered public key at recordHead.")
        Boolean verified,
    @JsonPropertyDescription("Detail: why it waits, what failed.") String message) {}
