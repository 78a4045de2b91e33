package dev.slipway.controller.core;

import dev.slipway.api.v1alpha1.RouteStatus;
import java.util.List;

/**
 * The routes as the gateway has accepted them.
 *
 * @param missingRoutes routes named in the spec that do not exist
 * @param routes the routes that exist
 * @param canaryWeight the canary weight all managed backendRefs agree on, or null if they differ
 * @param accepted every parent reports Accepted=True at the route's current generation (or acceptance is not required)
 * @param editedByOthers some route's rules were last written by someone other than the controller
 */
public record TrafficView(List<String> missingRoutes, Integer canaryWeight, boolean accepted, List<RouteStatus> routes,
    boolean editedByOthers) {

  public TrafficView(List<String> missingRoutes, Integer canaryWeight, boolean accepted, List<RouteStatus> routes) {
    this(missingRoutes, canaryWeight, accepted, routes, false);
  }

  public boolean anyMissing() {
    return !missingRoutes.isEmpty();
  }

  /** The weight we may trust, or null: unaccepted or disagreeing weights are never trusted. */
  public Integer verifiedWeight() {
    return !anyMissing() && accepted ? canaryWeight : null;
  }

  /**
   * No traffic can reach the canary Service through our routes: every existing route is accepted
   * at weight 0. A route that does not exist carries no traffic.
   */
  public boolean canaryDrained() {
    return routes.isEmpty() || (accepted && canaryWeight != null && canaryWeight == 0);
  }
}
