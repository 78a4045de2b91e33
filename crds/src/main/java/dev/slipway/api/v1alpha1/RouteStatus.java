package dev.slipway.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** What the gateway has confirmed for one HTTPRoute. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RouteStatus(
    @JsonPropertyDescription("Route name (GRPCRoutes prefixed \"GRPCRoute \").") String name,
    @JsonPropertyDescription("The canary weight the route currently carries.") Integer canaryWeight,
    @JsonPropertyDescription("The route generation carrying that weight.") Long generation,
    @JsonPropertyDescription("Whether every parent reports Accepted=True at that generation.")
        Boolean accepted) {}
