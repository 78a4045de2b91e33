package dev.slipway.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "self.name.lowerAscii() != 'authorization'",
    message = "set credentials with auth, not as a header")
public record HeaderSpec(
    @Required
        @Size(min = 1, max = 128)
        @Pattern("^[A-Za-z0-9-]+$")
        @JsonPropertyDescription("Header name.")
        String name,
    @Required @Size(max = 1024) @JsonPropertyDescription("Header value.") String value) {}
