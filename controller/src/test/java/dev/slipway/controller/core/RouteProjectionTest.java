package dev.slipway.controller.core;

import static dev.slipway.controller.core.Fixtures.spec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.slipway.api.v1alpha1.CanaryStep;
import dev.slipway.api.v1alpha1.RequestAction;
import dev.slipway.api.v1alpha1.RevisionState;
import dev.slipway.api.v1alpha1.RolloutSpec;
import dev.slipway.api.v1alpha1.RolloutStatus;
import dev.slipway.api.v1alpha1.RouteStatus;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The pass that writes a weight leaves the status as the next pass will observe the route (new
 * weight, next generation, not accepted yet), so the pass our own route write wakes up writes no
 * status. One status write and one pass fewer per weight change.
 */
class RouteProjectionTest {
  static final RolloutSpec SPEC = spec(CanaryStep.weight(20), CanaryStep.weight(60));

  @Test
  void theWeightWritingPassStatesTheRouteAsTheGatewayWillShowItBeforeAccepting() {
    World w = RolloutDeciderTest.stableWorld(SPEC);
    RolloutStatus written = null;
    for (int i = 0;
        i < 5
            && (written == null
                || written.desiredWeight() == null
                || written.desiredWeight() != 20);
        i++) {
      written = w.step(SPEC, "h2").status();
    }
    assertEquals(20, written.desiredWeight());
    w.gatewayAccepts = false;
    assertEquals(List.of(new RouteStatus("demo", 20, w.routeGeneration, false)), written.routes());
    assertNull(written.verifiedWeight());
    assertEquals("RouteNotAccepted", RolloutDeciderTest.cond(written, "TrafficRouted").reason());

    // The pass the route write wakes: the gateway has not accepted yet, so nothing to write.
    Decision next = w.step(SPEC, "h2");
    assertEquals(written, next.status());

    w.gatewayAccepts = true;
    RolloutStatus accepted = w.step(SPEC, "h2").status();
    assertEquals(20, accepted.verifiedWeight());
    assertEquals("WeightVerified", RolloutDeciderTest.cond(accepted, "TrafficRouted").reason());
  }

  @Test
  void anAbortProjectsWeightZeroAndAPromotionKeepsItsMessageWhileTheGatewayCatchesUp() {
    World w = RolloutDeciderTest.stableWorld(SPEC);
    w.settle(SPEC, "h2", 3);
    assertEquals(RevisionState.Canary, w.status.state());
    w.gatewayAccepts = false;
    RolloutStatus aborted = w.step(SPEC, "h2", RequestAction.Abort).status();
    assertEquals(List.of(new RouteStatus("demo", 0, w.routeGeneration, false)), aborted.routes());
    assertEquals(aborted, w.step(SPEC, "h2").status());

    World p = RolloutDeciderTest.stableWorld(SPEC);
    p.settle(SPEC, "h2", 4);
    p.gatewayAccepts = false;
    RolloutStatus promoting = p.step(SPEC, "h2", RequestAction.PromoteFull).status();
    for (int i = 0; i < 3 && !promoting.message().startsWith("promoting: stable Service"); i++) {
      promoting = p.step(SPEC, "h2").status();
    }
    assertEquals(RevisionState.Promoted, promoting.state(), promoting.message());
    RolloutStatus again = p.step(SPEC, "h2").status();
    assertEquals(promoting.message(), again.message());
    assertEquals(promoting, again);
    assertFalse(again.routes().get(0).accepted());
  }
}
