package dev.slipway.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

@JsonInclude(JsonInclude.Include.NON_NULL)
public record SecretKeyRef(
    @Required
        @Size(min = 1, max = 253)
        @JsonPropertyDescription("Secret name, in the Rollout's namespace.")
        String name,
    @Required @Size(min = 1, max = 253) @JsonPropertyDescription("Key within the Secret.")
        String key) {}
