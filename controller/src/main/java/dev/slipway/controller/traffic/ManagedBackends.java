package dev.slipway.controller.traffic;

import dev.slipway.api.v1alpha1.CanaryStrategy;
import dev.slipway.api.v1alpha1.HttpRouteRef;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPBackendRef;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteRule;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Which backendRefs of a route Slipway manages: in the selected rules, the refs to the stable and
 * canary Services. Everything else in the route is someone else's.
 */
final class ManagedBackends {
  private ManagedBackends() {}

  /** One selected rule's pair of managed refs. */
  record Pair(HTTPRouteRule rule, HTTPBackendRef stable, HTTPBackendRef canary) {
    int canaryPercent() {
      int s = weight(stable);
      int c = weight(canary);
      return s + c == 0 ? 0 : Math.round(100f * c / (s + c));
    }
  }

  /**
   * @param servicesNamespace where the Rollout's Services live (its own namespace)
   */
  static List<Pair> pairs(
      HTTPRoute route, HttpRouteRef ref, CanaryStrategy canary, String servicesNamespace) {
    String routeNamespace = route.getMetadata() == null ? null : route.getMetadata().getNamespace();
    List<Pair> out = new ArrayList<>();
    if (route.getSpec() == null || route.getSpec().getRules() == null) {
      return out;
    }
    for (HTTPRouteRule rule : route.getSpec().getRules()) {
      if (!ref.rulesOrEmpty().isEmpty()
          && (rule.getName() == null || !ref.rulesOrEmpty().contains(rule.getName()))) {
        continue;
      }
      HTTPBackendRef s = find(rule, canary.stableService(), routeNamespace, servicesNamespace);
      HTTPBackendRef c = find(rule, canary.canaryService(), routeNamespace, servicesNamespace);
      if (s != null && c != null) {
        out.add(new Pair(rule, s, c));
      }
    }
    return out;
  }

  /** Gateway API defaults an absent weight to 1. */
  static int weight(HTTPBackendRef ref) {
    return ref.getWeight() == null ? 1 : ref.getWeight();
  }

  private static HTTPBackendRef find(
      HTTPRouteRule rule, String service, String routeNamespace, String servicesNamespace) {
    return rule.getBackendRefs() == null
        ? null
        : ours(
            rule.getBackendRefs(),
            b -> new Ref(b.getGroup(), b.getKind(), b.getName(), b.getNamespace()),
            service,
            routeNamespace,
            servicesNamespace);
  }

  /** What makes a backendRef ours, of any route kind: its group, kind, name and namespace. */
  record Ref(String group, String kind, String name, String namespace) {}

  /**
   * The ref to the Service by name in the Rollout's namespace: implied when the route lives there,
   * named when it does not. Null when the rule has none.
   */
  static <B> B ours(
      List<B> refs,
      Function<B, Ref> view,
      String service,
      String routeNamespace,
      String servicesNamespace) {
    for (B b : refs) {
      Ref r = view.apply(b);
      boolean core = r.group() == null || r.group().isEmpty();
      boolean svc = r.kind() == null || "Service".equals(r.kind());
      String ns = r.namespace() == null || r.namespace().isEmpty() ? routeNamespace : r.namespace();
      if (core && svc && service.equals(r.name()) && (ns == null || ns.equals(servicesNamespace))) {
        return b;
      }
    }
    return null;
  }
}
