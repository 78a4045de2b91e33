package dev.slipway.controller.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.analysis.AnalysisResult;
import dev.slipway.analysis.Verdict;
import dev.slipway.api.v1alpha1.AnalysisStep;
import dev.slipway.api.v1alpha1.BlueGreenStrategy;
import dev.slipway.api.v1alpha1.GatewayApiRouting;
import dev.slipway.api.v1alpha1.HttpRouteRef;
import dev.slipway.api.v1alpha1.Phase;
import dev.slipway.api.v1alpha1.PostPromotion;
import dev.slipway.api.v1alpha1.RequestAction;
import dev.slipway.api.v1alpha1.RevisionState;
import dev.slipway.api.v1alpha1.RolloutSpec;
import dev.slipway.api.v1alpha1.RolloutStatus;
import dev.slipway.api.v1alpha1.Strategy;
import dev.slipway.api.v1alpha1.TrafficRouting;
import dev.slipway.controller.core.Action.PointServices;
import dev.slipway.controller.core.Action.SetWeight;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Blue/green, as decided: the preview in full, its analysis, the switch, the window, the old side's
 * delay.
 */
class BlueGreenTest {
  static final TrafficRouting ROUTE =
      new TrafficRouting(
          new GatewayApiRouting(List.of(new HttpRouteRef("demo", null)), null, null));

  static RolloutSpec blueGreen(
      TrafficRouting routing, AnalysisStep pre, String autoPromotionAfter, PostPromotion post) {
    RolloutSpec base = Fixtures.spec();
    return new RolloutSpec(
        4,
        base.selector(),
        base.template(),
        null,
        60,
        null,
        new Strategy(
            null,
            new BlueGreenStrategy(
                "demo-stable",
                "demo-canary",
                routing,
                null,
                pre,
                autoPromotionAfter,
                post,
                "0s",
                null)));
  }

  static World activeWorld(RolloutSpec spec) {
    World w = new World();
    w.observeServices = true;
    w.settle(spec, "h1", 10);
    assertEquals(RevisionState.Stable, w.status.state());
    w.log.clear();
    return w;
  }

  @Test
  void thePreviewComesUpInFullBehindThePreviewServiceAndWaitsForAPromote() {
    RolloutSpec spec = blueGreen(null, null, null, null);
    World w = activeWorld(spec);
    RolloutStatus s = w.settle(spec, "h2", 20);
    assertEquals(RevisionState.Paused, s.state());
    assertEquals(Phase.Paused, s.phase());
    assertEquals(4, w.replicas.get("h2"), "fully provisioned");
    assertEquals(4, w.replicas.get("h1"));
    assertEquals("h1", w.stableSelects, "users still reach the active revision");
    assertEquals("h2", w.canarySelects, "the preview Service selects the new one");

    w.step(spec, "h2", RequestAction.Promote);
    s = w.settle(spec, "h2", 20);
    assertEquals(RevisionState.Stable, s.state());
    assertEquals("h2", w.stableSelects, "the switch: the active Service's selector moved");
    assertEquals(0, w.replicas.get("h1"), "the old side went after its scale-down delay");
    assertEquals(
        List.of(
            RevisionState.Pending,
            RevisionState.Ready,
            RevisionState.Canary,
            RevisionState.Paused,
            RevisionState.Canary,
            RevisionState.Promoted,
            RevisionState.Stable),
        w.transitions().stream().map(Action.RecordTransition::to).toList(),
        "the same states, along legal edges only (Transitions.check ran on each)");
  }

  @Test
  void throughARouteThePreviewTakesAllTrafficVerifiedBeforeTheSelectorsSwap() {
    RolloutSpec spec = blueGreen(ROUTE, null, "0s", null);
    World w = activeWorld(spec);
    w.step(spec, "h2");
    w.step(spec, "h2");
    w.gatewayAccepts = false;
    for (int i = 0; i < 3; i++) w.step(spec, "h2");
    assertEquals(100, w.weight, "0s auto-promotion: straight to weight 100 on the preview");
    assertEquals("h1", w.stableSelects, "no selector moves before the gateway accepted weight 100");
    assertEquals(RevisionState.Canary, w.status.state());
    w.gatewayAccepts = true;
    RolloutStatus s = w.settle(spec, "h2", 20);
    assertEquals(RevisionState.Stable, s.state());
    assertEquals(0, w.weight, "both Services select h2, then the preview weight goes back to 0");
    int swap = w.log.indexOf(new PointServices("h2", "h2"));
    int back = w.log.indexOf(new SetWeight(0, RouteShape.NONE));
    assertTrue(
        swap >= 0 && back > swap,
        "the selectors swap before the weight returns to the active Service: " + w.log);
  }

  @Test
  void aFailedPrePromotionAnalysisRollsBackWithoutTheActiveSideEverMoving() {
    RolloutSpec spec = blueGreen(null, AnalysisStep.templates("smoke"), null, null);
    World w = activeWorld(spec);
    w.settle(spec, "h2", 10);
    assertTrue(
        w.log.stream()
            .anyMatch(
                a ->
                    a instanceof Action.StartAnalysis st
                        && st.stepIndex() == 1
                        && st.revision().equals("h2")),
        "the analysis runs against the preview once it is up");
    w.verdicts.put("h2/1", AnalysisResult.of(Verdict.Failed, "preview error rate 0.30 > 0.01"));
    Decision d = w.step(spec, "h2");
    assertEquals(RevisionState.RolledBack, d.status().state());
    RolloutStatus s = w.settle(spec, "h2", 10);
    assertEquals(0, w.replicas.get("h2"), "the preview is scaled down");
    assertEquals("h1", w.stableSelects);
    assertTrue(
        w.log.stream()
            .noneMatch(a -> a instanceof PointServices p && p.stableRevision().equals("h2")),
        "the active Service never moved");
    assertTrue(s.message().contains("preview error rate"), s.message());
    assertTrue(
        s.message().endsWith("traffic on active h1, preview scaled down"),
        "said in blue/green's words: " + s.message());
  }

  @Test
  void autoPromotionWaitsItsDelayThenSwitchesWithoutAnyone() {
    RolloutSpec spec = blueGreen(null, null, "30s", null);
    World w = activeWorld(spec);
    Decision d = w.step(spec, "h2");
    while (d.status().state() != RevisionState.Paused) d = w.step(spec, "h2");
    assertEquals(Duration.ofSeconds(30), d.requeueAfter());
    w.now = w.now.plusSeconds(29);
    assertEquals(RevisionState.Paused, w.step(spec, "h2").status().state());
    w.now = w.now.plusSeconds(1);
    RolloutStatus s = w.settle(spec, "h2", 20);
    assertEquals(RevisionState.Stable, s.state());
    assertEquals("h2", w.stableSelects);
    assertNull(s.lastAction(), "nobody acted");
  }

  @Test
  void anAbortDuringThePreviewScalesItDownAndAFailedWindowSwitchesBack() {
    RolloutSpec spec = blueGreen(null, null, null, null);
    World w = activeWorld(spec);
    w.settle(spec, "h2", 20);
    w.step(spec, "h2", RequestAction.Abort);
    RolloutStatus s = w.settle(spec, "h2", 10);
    assertEquals(RevisionState.RolledBack, s.state());
    assertEquals(0, w.replicas.get("h2"));
    assertEquals("h1", w.stableSelects);

    RolloutSpec windowed =
        blueGreen(null, null, "0s", new PostPromotion("10m", AnalysisStep.templates("slo"), null));
    World v = activeWorld(windowed);
    v.settle(windowed, "h2", 20);
    assertEquals("h2", v.stableSelects, "switched");
    assertEquals(4, v.replicas.get("h1"), "the previous side stays up through the window");
    v.verdicts.entrySet().removeIf(e -> true);
    v.log.stream()
        .filter(Action.StartAnalysis.class::isInstance)
        .map(Action.StartAnalysis.class::cast)
        .filter(a -> a.revision().equals("h2"))
        .reduce((a, b) -> b)
        .ifPresent(
            a ->
                v.verdicts.put(
                    "h2/" + a.stepIndex(), AnalysisResult.of(Verdict.Failed, "SLO burn 14x")));
    RolloutStatus back = v.settle(windowed, "h2", 20);
    assertEquals("h1", v.stableSelects, "a failed window switches the active Service back");
    assertEquals(RevisionState.RolledBack, back.state());
    assertFalse(v.replicas.get("h1") == 0);
  }
}
