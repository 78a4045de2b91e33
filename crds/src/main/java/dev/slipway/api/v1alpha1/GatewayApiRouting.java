package dev.slipway.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public record GatewayApiRouting(
    @Required
        @Size(min = 1, max = 16)
        @JsonPropertyDescription("HTTPRoutes to weight. At least one.")
        List<HttpRouteRef> httpRoutes,
    @Size(max = 63)
        @Pattern(CanaryStrategy.DNS_LABEL)
        @JsonPropertyDescription(
            "Namespace of the HTTPRoutes. Defaults to the Rollout's namespace.")
        String namespace,
    @JsonPropertyDescription(
            "Trust a weight only once every parent of the route reports Accepted=True at the route's current generation. Defaults to true; set false only for gateways that report no status.")
        Boolean requireAcceptance) {

  public boolean requireAcceptanceOrDefault() {
    return !Boolean.FALSE.equals(requireAcceptance);
  }
}
