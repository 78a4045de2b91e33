package dev.slipway.controller.core;

import static dev.slipway.controller.core.Fixtures.spec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.api.v1alpha1.CanaryStep;
import dev.slipway.api.v1alpha1.CanaryStrategy;
import dev.slipway.api.v1alpha1.RequestAction;
import dev.slipway.api.v1alpha1.RevisionState;
import dev.slipway.api.v1alpha1.RolloutSpec;
import dev.slipway.api.v1alpha1.Strategy;
import dev.slipway.controller.core.Action.ScaleReplicaSet;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Pods that lost their traffic stay for scaleDownDelay, counted from the gateway's acceptance. */
class ScaleDownDelayTest {
  static RolloutSpec withDelay(RolloutSpec s, String delay) {
    CanaryStrategy c = s.strategy().canary();
    return new RolloutSpec(
        s.replicas(),
        s.selector(),
        s.template(),
        s.revisionHistoryLimit(),
        s.progressDeadlineSeconds(),
        s.paused(),
        new Strategy(
            new CanaryStrategy(
                c.stableService(),
                c.canaryService(),
                c.trafficRouting(),
                c.backgroundAnalysis(),
                c.postPromotion(),
                delay,
                c.steps())));
  }

  static final RolloutSpec DELAYED =
      withDelay(spec(CanaryStep.weight(20), CanaryStep.pause(null), CanaryStep.weight(50)), "10s");

  static boolean scalesDown(Decision d, String revision) {
    return d.actionsOf(ScaleReplicaSet.class).stream()
        .anyMatch(s -> s.revision().equals(revision) && s.replicas() == 0);
  }

  @Test
  void anAbortedCanaryKeepsItsPodsForTheDelayAfterWeightZeroIsAccepted() {
    World w = RolloutDeciderTest.stableWorld(DELAYED);
    w.settle(DELAYED, "h2", 5);
    assertEquals(RevisionState.Paused, w.status.state());
    Decision d = w.step(DELAYED, "h2", RequestAction.Abort);
    assertEquals(0, w.weight, "traffic leaves at once");
    d = w.step(DELAYED, "h2");
    assertTrue(!scalesDown(d, "h2"), d.actions().toString());
    Instant accepted = w.now;
    assertEquals(
        accepted.plusSeconds(10).toString(),
        d.status().scaleDownAt(),
        "the delay counts from weight 0 accepted");
    assertTrue(d.status().message().contains("scaleDownDelay 10s"), d.status().message());
    assertEquals(Duration.ofSeconds(10), d.requeueAfter(), "wakes up when the delay ends");

    w.now = accepted.plusSeconds(9);
    assertTrue(!scalesDown(w.step(DELAYED, "h2"), "h2"));
    w.now = accepted.plusSeconds(10);
    d = w.step(DELAYED, "h2");
    assertTrue(scalesDown(d, "h2"), d.actions().toString());
    assertTrue(d.status().message().startsWith("rolled back"), d.status().message());

    // A new revision starts its own delay later.
    d = w.step(DELAYED, "h3");
    assertNull(d.status().scaleDownAt());
  }

  @Test
  void aNewerRevisionArrivingWithinAnAbortedCanarysDelayLetsItKeepItsPods() {
    World w = RolloutDeciderTest.stableWorld(DELAYED);
    w.settle(DELAYED, "h2", 5);
    w.step(DELAYED, "h2", RequestAction.Abort);
    Decision d = w.step(DELAYED, "h2");
    Instant accepted = w.now;
    assertEquals(accepted.plusSeconds(10).toString(), d.status().scaleDownAt());
    w.now = accepted.plusSeconds(3);
    d = w.step(DELAYED, "h3");
    assertEquals(RevisionState.Pending, d.status().state());
    assertTrue(!scalesDown(d, "h2"), "h2 lost its traffic 3 s ago: " + d.actions());
    assertEquals(accepted.plusSeconds(10).toString(), d.status().replacedScaleDownAt());
    assertNull(d.status().scaleDownAt(), "h3's own moves start their own delay");
    assertEquals(Duration.ofSeconds(7), d.requeueAfter());
    for (int i = 0; i < 3; i++) {
      d = w.step(DELAYED, "h3");
      assertTrue(!scalesDown(d, "h2"));
    }
    assertTrue(w.replicas.get("h2") > 0);
    w.now = accepted.plusSeconds(10);
    d = w.step(DELAYED, "h3");
    assertTrue(scalesDown(d, "h2"), d.actions().toString());
    assertNull(d.status().replacedScaleDownAt());
    assertEquals(RevisionState.Paused, w.settle(DELAYED, "h3", 40).state(), "h3 walks on as usual");
  }

  @Test
  void aPromotionKeepsThePreviousStableForTheDelay() {
    World w = RolloutDeciderTest.stableWorld(DELAYED);
    w.settle(DELAYED, "h2", 5);
    w.step(DELAYED, "h2", RequestAction.PromoteFull);
    for (int i = 0; i < 5; i++) {
      w.step(DELAYED, "h2");
    }
    assertEquals("h2", w.status.stableRevision());
    assertTrue(w.replicas.get("h1") > 0, "h1 keeps its pods within the delay");
    assertTrue(w.status.message().contains("the previous stable"), w.status.message());
    w.now = Instant.parse(w.status.scaleDownAt());
    for (int i = 0; i < 3; i++) {
      w.step(DELAYED, "h2");
    }
    assertEquals(0, w.replicas.get("h1"));
    assertEquals(RevisionState.Stable, w.status.state());
    assertNull(w.status.scaleDownAt());
  }

  @Test
  void zeroScalesDownAtOnce() {
    RolloutSpec now = withDelay(DELAYED, "0s");
    World w = RolloutDeciderTest.stableWorld(now);
    w.settle(now, "h2", 5);
    w.step(now, "h2", RequestAction.Abort);
    assertTrue(scalesDown(w.step(now, "h2"), "h2"));
  }
}
