package dev.slipway.controller.core;

import static dev.slipway.controller.core.Fixtures.spec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.api.v1alpha1.CanaryStep;
import dev.slipway.api.v1alpha1.RequestAction;
import dev.slipway.api.v1alpha1.RevisionState;
import dev.slipway.api.v1alpha1.RolloutSpec;
import dev.slipway.api.v1alpha1.RolloutStatus;
import org.junit.jupiter.api.Test;

/**
 * What the scale subresource shows an HPA, and how both sides follow spec.replicas when the HPA
 * changes it mid-canary.
 */
class HpaScaleTest {
  static final RolloutSpec SPEC = spec(CanaryStep.weight(50), CanaryStep.pause(null));

  static RolloutSpec withReplicas(RolloutSpec s, int n) {
    return new RolloutSpec(
        n,
        s.selector(),
        s.template(),
        s.revisionHistoryLimit(),
        s.progressDeadlineSeconds(),
        s.paused(),
        s.strategy());
  }

  @Test
  void theScaleSubresourceCountsTheStableSideNotTheCanary() {
    World w = RolloutDeciderTest.stableWorld(SPEC);
    RolloutStatus s = w.settle(SPEC, "h2", 20);
    assertEquals(RevisionState.Paused, s.state());
    assertEquals(6, s.replicas(), "4 stable + 2 canary pods in all");
    assertEquals(
        4,
        s.scaleReplicas(),
        "the HPA sees the 4 that spec.replicas sizes; reporting 6 would make it ask for 6 stable pods");
  }

  @Test
  void anHpaChangeMidCanaryResizesBothSidesWithoutACanaryFeedbackLoop() {
    World w = RolloutDeciderTest.stableWorld(SPEC);
    w.settle(SPEC, "h2", 20);
    // Within its tolerance an HPA answers with the scale subresource's status.replicas: feed that
    // back, pass after pass.
    RolloutSpec current = SPEC;
    for (int i = 0; i < 5; i++) {
      current = withReplicas(SPEC, w.status.scaleReplicas());
      w.settle(current, "h2", 10);
    }
    assertEquals(4, w.replicas.get("h1"), "stable stayed at 4: no run-away");
    assertEquals(2, w.replicas.get("h2"));

    RolloutSpec scaledUp = withReplicas(SPEC, 10);
    w.settle(scaledUp, "h2", 10);
    // The ReplicaSet's change wakes the Rollout again; that pass observes it.
    RolloutStatus s = w.step(scaledUp, "h2").status();
    assertEquals(10, w.replicas.get("h1"), "the stable side follows the HPA at once");
    assertEquals(5, w.replicas.get("h2"), "the canary keeps its 50% share of the new count");
    assertEquals(10, s.scaleReplicas());
    assertEquals(
        RevisionState.Paused, s.state(), "the canary does not move on because of a scale change");

    s = w.settle(withReplicas(SPEC, 3), "h2", 10);
    assertEquals(3, w.replicas.get("h1"));
    assertEquals(2, w.replicas.get("h2"), "50% of 3, rounded up");
  }

  @Test
  void afterPromotionTheNewStableIsWhatTheScaleShows() {
    World w = RolloutDeciderTest.stableWorld(SPEC);
    w.settle(SPEC, "h2", 20);
    w.step(SPEC, "h2", RequestAction.PromoteFull);
    RolloutStatus s = w.settle(SPEC, "h2", 20);
    assertEquals(RevisionState.Stable, s.state());
    assertEquals(4, s.scaleReplicas());
    assertTrue(w.replicas.get("h1") == 0);
  }
}
