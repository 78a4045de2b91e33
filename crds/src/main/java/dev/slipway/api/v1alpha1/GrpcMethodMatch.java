package dev.slipway.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/**
 * One gRPC method, exactly (service and method both): the calls a method segment sends to the
 * canary. Patterns as Gateway API's GRPCMethodMatch has them.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record GrpcMethodMatch(
    @Required
        @Size(min = 1, max = 1024)
        @Pattern("^(?i)\\.?[a-z_][a-z_0-9]*(\\.[a-z_][a-z_0-9]*)*$")
        @JsonPropertyDescription("Fully qualified gRPC service name, e.g. my.pkg.Greeter.")
        String service,
    @Required
        @Size(min = 1, max = 1024)
        @Pattern("^[A-Za-z_][A-Za-z_0-9]*$")
        @JsonPropertyDescription("Method name within the service, e.g. SayHello.")
        String method) {}
