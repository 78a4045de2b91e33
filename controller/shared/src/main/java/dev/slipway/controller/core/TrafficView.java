package dev.slipway.controller.core;

import dev.slipway.api.v1alpha1.RouteStatus;
import java.util.List;

/**
 * The routes as the gateway has accepted them.
 *
 * @param missingRoutes routes named in the spec that do not exist
 * @param routes the routes that exist
 * @param canaryWeight the canary weight all managed backendRefs agree on, or null if they differ
 * @param accepted every parent reports Accepted=True at the route's current generation (or
 *     acceptance is not required)
 * @param editedByOthers some route's rules were last written by someone other than the controller
 * @param shape the segment and mirror every route carries, or null when the routes differ (or a
 *     segment rule no longer matches the rule it was made from)
 * @param mirrorUnsupported why a parent Gateway is known not to support the mirror the steps ask
 *     for, or null (only looked at for Rollouts with a mirror step)
 */
public record TrafficView(
    List<String> missingRoutes,
    Integer canaryWeight,
    boolean accepted,
    List<RouteStatus> routes,
    boolean editedByOthers,
    RouteShape shape,
    String mirrorUnsupported) {

  public TrafficView(
      List<String> missingRoutes,
      Integer canaryWeight,
      boolean accepted,
      List<RouteStatus> routes,
      boolean editedByOthers,
      RouteShape shape) {
    this(missingRoutes, canaryWeight, accepted, routes, editedByOthers, shape, null);
  }

  public TrafficView(
      List<String> missingRoutes,
      Integer canaryWeight,
      boolean accepted,
      List<RouteStatus> routes) {
    this(missingRoutes, canaryWeight, accepted, routes, false, RouteShape.NONE);
  }

  public TrafficView(
      List<String> missingRoutes,
      Integer canaryWeight,
      boolean accepted,
      List<RouteStatus> routes,
      boolean editedByOthers) {
    this(missingRoutes, canaryWeight, accepted, routes, editedByOthers, RouteShape.NONE);
  }

  /** The shape we may trust, or null, on the same terms as the weight. */
  public RouteShape verifiedShape() {
    return !anyMissing() && accepted ? shape : null;
  }

  public boolean anyMissing() {
    return !missingRoutes.isEmpty();
  }

  /** The weight we may trust, or null: unaccepted or disagreeing weights are never trusted. */
  public Integer verifiedWeight() {
    return !anyMissing() && accepted ? canaryWeight : null;
  }

  /**
   * No traffic can reach the canary Service through our routes: every existing route is accepted at
   * weight 0, with no segment rule and no mirror. A route that does not exist carries no traffic.
   */
  public boolean canaryDrained() {
    return routes.isEmpty()
        || (accepted && canaryWeight != null && canaryWeight == 0 && shape != null && shape.none());
  }
}
