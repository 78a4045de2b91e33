package dev.slipway.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "has(self.httpRoutes) || has(self.grpcRoutes)",
    message = "gatewayAPI: name at least one HTTPRoute (httpRoutes) or GRPCRoute (grpcRoutes)")
public record GatewayApiRouting(
    @Size(min = 1, max = 16)
        @JsonPropertyDescription(
            "HTTPRoutes to weight (and to shape with header segments and mirrors). At least one of httpRoutes and grpcRoutes.")
        List<HttpRouteRef> httpRoutes,
    @Size(max = 63)
        @Pattern(CanaryStrategy.DNS_LABEL)
        @JsonPropertyDescription(
            "Namespace of the HTTPRoutes. Defaults to the Rollout's namespace.")
        String namespace,
    @JsonPropertyDescription(
            "Trust a weight only once every parent of the route reports Accepted=True at the route's current generation. Defaults to true; set false only for gateways that report no status.")
        Boolean requireAcceptance,
    @Size(min = 1, max = 16)
        @JsonPropertyDescription(
            "GRPCRoutes to weight and to shape with segments (headers, cookies, gRPC methods), with the same ownership, acceptance and ReferenceGrant rules as HTTPRoutes. Mirrors are for HTTPRoutes.")
        List<GrpcRouteRef> grpcRoutes) {

  /** HTTPRoutes only (what specs before GRPCRoutes say). */
  public GatewayApiRouting(
      List<HttpRouteRef> httpRoutes, String namespace, Boolean requireAcceptance) {
    this(httpRoutes, namespace, requireAcceptance, null);
  }

  /** Where the routes live: {@link #namespace()}, else the Rollout's own namespace. */
  public String routeNamespace(String rolloutNamespace) {
    return namespace != null ? namespace : rolloutNamespace;
  }

  public List<HttpRouteRef> httpRoutesOrEmpty() {
    return httpRoutes == null ? List.of() : httpRoutes;
  }

  public List<GrpcRouteRef> grpcRoutesOrEmpty() {
    return grpcRoutes == null ? List.of() : grpcRoutes;
  }

  public boolean requireAcceptanceOrDefault() {
    return !Boolean.FALSE.equals(requireAcceptance);
  }
}
