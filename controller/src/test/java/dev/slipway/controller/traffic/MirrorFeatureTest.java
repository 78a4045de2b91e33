package dev.slipway.controller.traffic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.slipway.api.v1alpha1.CanaryStep;
import dev.slipway.api.v1alpha1.CanaryStrategy;
import dev.slipway.api.v1alpha1.RevisionState;
import dev.slipway.api.v1alpha1.RolloutStatus;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The GatewayClass is read only while a mirror step may still come. */
class MirrorFeatureTest {
  static final CanaryStrategy STEPS =
      new CanaryStrategy(
          "s",
          "c",
          null,
          null,
          null,
          null,
          List.of(
              CanaryStep.weight(10),
              CanaryStep.mirror(30),
              CanaryStep.mirror(0),
              CanaryStep.weight(50)));

  static RolloutStatus status(String canary, RevisionState state, Integer step) {
    RolloutStatus.Builder b = new RolloutStatus.Builder();
    b.canaryRevision = canary;
    b.state = state;
    b.currentStepIndex = step;
    return b.build();
  }

  @Test
  void onlyAMirrorStepStillAheadOfACanaryInFlightAsksForTheFeature() {
    assertNull(HttpRouteRouter.mirrorFeature(STEPS, null));
    assertNull(
        HttpRouteRouter.mirrorFeature(STEPS, status(null, RevisionState.Stable, null)),
        "steady state: no reads");
    assertEquals(
        GatewayFeatures.PERCENTAGE_MIRROR,
        HttpRouteRouter.mirrorFeature(STEPS, status("h2", RevisionState.Canary, 0)));
    assertEquals(
        GatewayFeatures.PERCENTAGE_MIRROR,
        HttpRouteRouter.mirrorFeature(STEPS, status("h2", RevisionState.Paused, 1)));
    assertNull(
        HttpRouteRouter.mirrorFeature(STEPS, status("h2", RevisionState.Canary, 2)),
        "past the mirror");
    assertEquals(
        GatewayFeatures.PERCENTAGE_MIRROR,
        HttpRouteRouter.mirrorFeature(STEPS, status("h2", RevisionState.RolledBack, 3)),
        "a retry starts from step 1 again");
    CanaryStrategy full =
        new CanaryStrategy("s", "c", null, null, null, null, List.of(CanaryStep.mirror(100)));
    assertEquals(
        GatewayFeatures.MIRROR,
        HttpRouteRouter.mirrorFeature(full, status("h2", RevisionState.Pending, 0)));
  }
}
