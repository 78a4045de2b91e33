package dev.slipway.controller.core;

import dev.slipway.api.v1alpha1.RouteStatus;
import java.util.ArrayList;
import java.util.List;

/**
 * The routes as this pass's weight write will leave them: the new weight, one generation on, not
 * accepted yet. The pass after our own route write then observes exactly that and has no status to
 * write; without this, every weight change cost two status writes and a pass more.
 */
final class RouteProjection {
  static final String NOT_ACCEPTED =
      "waiting for every parent Gateway to report Accepted=True at the route's current generation";

  private RouteProjection() {}

  static void apply(RolloutDecider.Ctx c) {
    Draft d = c.d();
    TrafficView t = c.obs().traffic();
    List<Action.SetWeight> writes =
        d.actions.stream()
            .filter(Action.SetWeight.class::isInstance)
            .map(Action.SetWeight.class::cast)
            .toList();
    if (t == null || t.anyMissing() || t.routes().isEmpty() || writes.isEmpty()) {
      return;
    }
    // The router applies the last weight a pass decides (a drift put back, then the step's own).
    int w = writes.get(writes.size() - 1).canaryWeight();
    boolean reshaped = !writes.get(writes.size() - 1).shape().equals(t.shape());
    List<RouteStatus> projected = new ArrayList<>();
    boolean changes = false;
    for (RouteStatus r : t.routes()) {
      if (r.canaryWeight() != null && r.canaryWeight() == w && !reshaped) {
        projected.add(r);
      } else {
        changes = true;
        // A weight change is a spec change, which moves the generation by exactly one.
        projected.add(
            new RouteStatus(
                r.name(), w, r.generation() == null ? null : r.generation() + 1, false));
      }
    }
    if (!changes) {
      return;
    }
    d.s.routes = projected;
    d.s.verifiedWeight = null;
    String reason = d.conditionReason("TrafficRouted").orElse("");
    if (reason.equals("WeightVerified") || reason.equals("WeightsDisagree")) {
      d.condition("TrafficRouted", false, "RouteNotAccepted", NOT_ACCEPTED);
    }
  }
}
