package dev.slipway.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** One wave: the clusters it reaches, the Rollouts in them, and how long it bakes. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Wave(
    @Required
        @Size(max = 63)
        @Pattern(CanaryStrategy.DNS_LABEL)
        @JsonPropertyDescription("The wave's name, unique in the release.")
        String name,
    @Required
        @JsonPropertyDescription(
            "The member clusters of the wave. A wave that selects no registered cluster holds the release: it never counts as passed.")
        ClusterSelection clusters,
    @JsonPropertyDescription("The wave's Rollouts, when not those of spec.rollouts.")
        RolloutSelection rollouts,
    @Size(max = 32)
        @Pattern(Durations.PATTERN)
        @JsonPropertyDescription(
            "How long every Rollout of the wave must stay Stable on the revision (its post-promotion window over) before the next wave opens. Default 0s.")
        String bakeTime) {}
