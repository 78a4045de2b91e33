package dev.slipway.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

@JsonInclude(JsonInclude.Include.NON_NULL)
public record TrafficRouting(
    @Required
        @JsonProperty("gatewayAPI")
        @JsonPropertyDescription(
            "Gateway API HTTPRoutes and GRPCRoutes whose backendRef weights the controller writes.")
        GatewayApiRouting gatewayAPI) {}
