package dev.slipway.controller.traffic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.api.v1alpha1.RouteStatus;
import dev.slipway.controller.core.RouteShape;
import dev.slipway.controller.core.TrafficView;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * HTTPRoutes and GRPCRoutes seen as one: a weight only where both kinds agree, accepted only when
 * both are, every missing route and every route kept.
 */
class GatewayRouterTest {
  static TrafficView view(Integer weight, boolean accepted, String route, String... missing) {
    return new TrafficView(
        List.of(missing),
        weight,
        accepted,
        List.of(new RouteStatus(route, weight, 1L, accepted)),
        false,
        RouteShape.NONE,
        null);
  }

  @Test
  void bothKindsMustAgreeAndBeAccepted() {
    TrafficView agree =
        GatewayRouter.merge(view(30, true, "web"), view(30, true, "GRPCRoute cart"));
    assertEquals(Integer.valueOf(30), agree.canaryWeight());
    assertTrue(agree.accepted());
    assertEquals(2, agree.routes().size());
    assertEquals(RouteShape.NONE, agree.shape());

    assertNull(
        GatewayRouter.merge(view(30, true, "web"), view(0, true, "GRPCRoute cart")).canaryWeight(),
        "a GRPCRoute still at 0 is no weight of 30");
    assertFalse(
        GatewayRouter.merge(view(30, true, "web"), view(30, false, "GRPCRoute cart")).accepted());
    TrafficView missing =
        GatewayRouter.merge(view(30, true, "web"), view(null, false, "x", "GRPCRoute cart"));
    assertEquals(List.of("GRPCRoute cart"), missing.missingRoutes());
    assertNull(missing.canaryWeight());
  }
}
