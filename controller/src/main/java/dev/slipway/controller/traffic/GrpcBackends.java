package dev.slipway.controller.traffic;

import dev.slipway.api.v1alpha1.CanaryStrategy;
import dev.slipway.api.v1alpha1.GrpcRouteRef;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GRPCBackendRef;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GRPCRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GRPCRouteRule;
import java.util.ArrayList;
import java.util.List;

/**
 * Which backendRefs of a GRPCRoute Slipway manages, on the terms of {@link ManagedBackends}: in the
 * selected rules, the refs to the stable and canary Services; everything else is someone else's.
 */
final class GrpcBackends {
  private GrpcBackends() {}

  /** One selected rule's pair of managed refs. */
  record Pair(GRPCRouteRule rule, GRPCBackendRef stable, GRPCBackendRef canary) {
    int canaryPercent() {
      int s = weight(stable);
      int c = weight(canary);
      return s + c == 0 ? 0 : Math.round(100f * c / (s + c));
    }
  }

  static List<Pair> pairs(
      GRPCRoute route, GrpcRouteRef ref, CanaryStrategy canary, String servicesNamespace) {
    String routeNamespace = route.getMetadata() == null ? null : route.getMetadata().getNamespace();
    List<Pair> out = new ArrayList<>();
    if (route.getSpec() == null || route.getSpec().getRules() == null) {
      return out;
    }
    for (GRPCRouteRule rule : route.getSpec().getRules()) {
      if (!ref.rulesOrEmpty().isEmpty()
          && (rule.getName() == null || !ref.rulesOrEmpty().contains(rule.getName()))) {
        continue;
      }
      GRPCBackendRef s = find(rule, canary.stableService(), routeNamespace, servicesNamespace);
      GRPCBackendRef c = find(rule, canary.canaryService(), routeNamespace, servicesNamespace);
      if (s != null && c != null) {
        out.add(new Pair(rule, s, c));
      }
    }
    return out;
  }

  /** Gateway API defaults an absent weight to 1. */
  static int weight(GRPCBackendRef ref) {
    return ref.getWeight() == null ? 1 : ref.getWeight();
  }

  private static GRPCBackendRef find(
      GRPCRouteRule rule, String service, String routeNamespace, String servicesNamespace) {
    return rule.getBackendRefs() == null
        ? null
        : ManagedBackends.ours(
            rule.getBackendRefs(),
            b -> new ManagedBackends.Ref(b.getGroup(), b.getKind(), b.getName(), b.getNamespace()),
            service,
            routeNamespace,
            servicesNamespace);
  }
}
