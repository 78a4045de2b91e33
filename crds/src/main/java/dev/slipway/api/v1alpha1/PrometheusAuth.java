package dev.slipway.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.ValidationRule;

@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "(has(self.bearerToken) ? 1 : 0) + (has(self.basic) ? 1 : 0) == 1",
    message = "set exactly one of bearerToken and basic")
public record PrometheusAuth(
    @JsonPropertyDescription("Send Authorization: Bearer with the token in this Secret key.")
        SecretKeyRef bearerToken,
    @JsonPropertyDescription("Send HTTP basic auth with the username and password in this Secret.")
        BasicAuth basic) {}
