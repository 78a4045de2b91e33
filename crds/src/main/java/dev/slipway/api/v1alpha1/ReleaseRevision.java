package dev.slipway.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/**
 * The released revision, named by an image pinned to its digest: the same template hash cannot be
 * assumed across clusters (Argo CD may render per-cluster values), the digest can.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ReleaseRevision(
    @Required
        @Size(max = 512)
        @Pattern("^[^\\s@]+@sha256:[a-f0-9]{64}$")
        @JsonPropertyDescription(
            "An image reference pinned to its digest (registry/name@sha256:...). A member Rollout is on the release's revision when a container of its pod template runs exactly this reference.")
        String image) {}
