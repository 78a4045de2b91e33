package dev.slipway.controller.traffic;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.RouteParentStatus;
import java.util.List;

/**
 * Whether a gateway has taken a route as it now is, for any route kind: every parent reports
 * Accepted=True at the route's current generation. A weight is trusted only then.
 */
final class RouteAcceptance {
  private RouteAcceptance() {}

  static boolean accepted(Long generation, int parentRefs, List<RouteParentStatus> parents) {
    if (parents == null || parents.isEmpty() || parents.size() < parentRefs) {
      return false;
    }
    long gen = generation == null ? 0 : generation;
    for (RouteParentStatus p : parents) {
      Condition accepted =
          p.getConditions() == null
              ? null
              : p.getConditions().stream()
                  .filter(c -> "Accepted".equals(c.getType()))
                  .findFirst()
                  .orElse(null);
      if (accepted == null
          || !"True".equals(accepted.getStatus())
          || accepted.getObservedGeneration() == null
          || accepted.getObservedGeneration() != gen) {
        return false;
      }
    }
    return true;
  }
}
