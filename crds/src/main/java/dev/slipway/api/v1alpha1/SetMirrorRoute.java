package dev.slipway.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;

/**
 * Mirror a share of the managed rules' requests to the canary; the mirrored responses are
 * discarded.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SetMirrorRoute(
    @Required
        @Min(0)
        @Max(100)
        @JsonPropertyDescription(
            "Percentage (0-100) of the requests to copy to the canary Service (Gateway API RequestMirror percent, GEP-3171). 0 removes the mirror.")
        Integer percent) {}
