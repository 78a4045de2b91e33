package dev.slipway.controller.core;

import static dev.slipway.controller.core.Fixtures.spec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.api.v1alpha1.CanaryStep;
import dev.slipway.api.v1alpha1.CanaryStrategy;
import dev.slipway.api.v1alpha1.Phase;
import dev.slipway.api.v1alpha1.RequestAction;
import dev.slipway.api.v1alpha1.RevisionState;
import dev.slipway.api.v1alpha1.RolloutSpec;
import dev.slipway.api.v1alpha1.RolloutStatus;
import dev.slipway.api.v1alpha1.SegmentMatch;
import dev.slipway.api.v1alpha1.SetHeaderRoute;
import dev.slipway.api.v1alpha1.Strategy;
import dev.slipway.controller.core.Action.ScaleReplicaSet;
import dev.slipway.controller.core.Action.SetWeight;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Header segments and mirroring, as decided: set by their steps, verified, removed before anything
 * ends the canary.
 */
class SegmentAndMirrorStepsTest {
  static final CanaryStep SEGMENT =
      CanaryStep.headerRoute(
          SegmentMatch.header("X-Canary", "yes"), SegmentMatch.cookie("beta", "on"));
  static final RouteShape SEGMENT_SHAPE =
      new RouteShape(
          List.of(
              new Segments.HeaderMatch("X-Canary", "Exact", "yes"),
              new Segments.HeaderMatch("Cookie", "RegularExpression", "^(.*;\\s*)?beta=on(;.*)?$")),
          0);
  static final RolloutSpec SEGMENTED = spec(SEGMENT, CanaryStep.pause(null), CanaryStep.weight(50));
  static final RolloutSpec MIRRORED =
      spec(
          CanaryStep.mirror(30),
          CanaryStep.pause(null),
          CanaryStep.mirror(0),
          CanaryStep.weight(50));

  @Test
  void aSegmentStepWaitsForTheGatewayThenHoldsTheSegmentUntilPromotionRemovesIt() {
    World w = RolloutDeciderTest.stableWorld(SEGMENTED);
    Decision d = w.step(SEGMENTED, "h2");
    while (d.status().state() != RevisionState.Canary) d = w.step(SEGMENTED, "h2");
    w.gatewayAccepts = false;
    for (int i = 0; i < 3; i++) d = w.step(SEGMENTED, "h2");
    assertEquals(RevisionState.Canary, d.status().state());
    assertEquals(0, d.status().currentStepIndex(), "not accepted: the step is not done");
    assertEquals(SEGMENT_SHAPE, w.shape, "the segment is on the route, at weight 0");
    assertEquals(0, w.weight);
    assertTrue(
        d.status().message().contains("waiting for the gateway to accept the header segment"),
        d.status().message());
    assertTrue(w.replicas.get("h2") >= 1, "segment requests need a canary pod");

    w.gatewayAccepts = true;
    d = w.step(SEGMENTED, "h2");
    assertEquals(RevisionState.Paused, d.status().state(), "segment accepted; step 2 pauses");
    assertEquals(SEGMENT, new CanaryStep(null, null, null, null, d.status().headerRoute(), null));
    // Weight steps that follow keep the segment on every write.
    w.step(SEGMENTED, "h2", RequestAction.Resume);
    w.step(SEGMENTED, "h2");
    assertEquals(50, w.weight);
    assertEquals(SEGMENT_SHAPE, w.shape);
    assertTrue(
        w.log.stream()
            .filter(SetWeight.class::isInstance)
            .map(SetWeight.class::cast)
            .filter(s -> s.canaryWeight() == 50)
            .allMatch(s -> s.shape().equals(SEGMENT_SHAPE)));

    RolloutStatus s = w.settle(SEGMENTED, "h2", 30);
    assertEquals(RevisionState.Stable, s.state());
    assertEquals(RouteShape.NONE, w.shape, "promotion removed the segment");
    assertNull(s.headerRoute());
  }

  @Test
  void anAbortRemovesTheSegmentBeforeTheCanaryScalesDown() {
    World w = RolloutDeciderTest.stableWorld(SEGMENTED);
    for (int i = 0; i < 4; i++) w.step(SEGMENTED, "h2");
    assertEquals(SEGMENT_SHAPE, w.shape);
    w.gatewayAccepts = false;
    Decision d = w.step(SEGMENTED, "h2", RequestAction.Abort);
    assertEquals(RevisionState.RolledBack, d.status().state());
    assertEquals(List.of(new SetWeight(0, RouteShape.NONE)), d.actionsOf(SetWeight.class));
    assertTrue(
        d.actionsOf(ScaleReplicaSet.class).stream().noneMatch(x -> x.revision().equals("h2")));
    w.gatewayAccepts = true;
    // The gateway took weight 0 but a segment rule lingers (someone put it back): still not
    // drained.
    w.shape = SEGMENT_SHAPE;
    d = w.step(SEGMENTED, "h2");
    assertTrue(
        d.actionsOf(ScaleReplicaSet.class).stream().noneMatch(x -> x.revision().equals("h2")),
        "a segment rule still sends requests to the canary: it keeps its pods");
    assertEquals(RouteShape.NONE, w.shape, "and the segment is removed again");
    RolloutStatus s = w.settle(SEGMENTED, "h2", 20);
    assertTrue(w.replicas.get("h2") == 0, "drained, then scaled down");
    assertEquals(Phase.Degraded, s.phase());
  }

  @Test
  void aSegmentRuleRemovedBySomeoneElseIsPutBackAndRecordedAsDrift() {
    World w = RolloutDeciderTest.stableWorld(SEGMENTED);
    RolloutStatus s = w.settle(SEGMENTED, "h2", 20);
    assertEquals(RevisionState.Paused, s.state());
    w.shape = RouteShape.NONE;
    w.weightsEditedByOthers = true;
    w.routeGeneration++;
    Decision d = w.step(SEGMENTED, "h2");
    List<Action.RecordDrift> drift = d.actionsOf(Action.RecordDrift.class);
    assertEquals(1, drift.size(), d.actions().toString());
    assertEquals("no segment, mirror 0%", drift.get(0).observed());
    assertEquals(
        "segment X-Canary=yes and Cookie~^(.*;\\s*)?beta=on(;.*)?$, mirror 0%",
        drift.get(0).decided());
    assertEquals(SEGMENT_SHAPE, w.shape, "put back in the same pass");
    assertEquals(RevisionState.Paused, d.status().state());
    assertTrue(
        w.step(SEGMENTED, "h2").actionsOf(Action.RecordDrift.class).isEmpty(), "recorded once");
  }

  @Test
  void anEmptySegmentStepRemovesTheSegment() {
    RolloutSpec spec =
        spec(
            SEGMENT,
            new CanaryStep(null, null, null, null, new SetHeaderRoute(List.of()), null),
            CanaryStep.pause(null));
    World w = RolloutDeciderTest.stableWorld(spec);
    RolloutStatus s = w.settle(spec, "h2", 20);
    assertEquals(RevisionState.Paused, s.state());
    assertEquals(RouteShape.NONE, w.shape);
    assertNull(s.headerRoute());
    assertEquals(2, s.currentStepIndex());
  }

  @Test
  void aMirrorStepSizesTheCanaryForItsShareAndIsRemovedByItsZeroStep() {
    World w = RolloutDeciderTest.stableWorld(MIRRORED);
    RolloutStatus s = w.settle(MIRRORED, "h2", 20);
    assertEquals(RevisionState.Paused, s.state());
    assertEquals(new RouteShape(List.of(), 30), w.shape);
    assertEquals(0, w.weight, "mirroring sends no user a canary response");
    assertEquals(
        2,
        w.replicas.get("h2"),
        "30% of 4 pods, rounded up: the canary is sized for what it receives");
    assertEquals(30, s.mirrorPercent());

    w.step(MIRRORED, "h2", RequestAction.Resume);
    s = w.settle(MIRRORED, "h2", 30);
    assertEquals(RevisionState.Stable, s.state());
    assertTrue(
        w.log.contains(new SetWeight(0, RouteShape.NONE)),
        "the mirror's removal was its own write, at weight 0");
    assertTrue(w.log.contains(new SetWeight(50, RouteShape.NONE)), "weight 50 carried no mirror");
    assertNull(s.mirrorPercent());
  }

  @Test
  void aGatewayKnownNotToMirrorIsNeverGivenAMirrorAndSaysSoOnce() {
    World w = RolloutDeciderTest.stableWorld(MIRRORED);
    w.mirrorUnsupported =
        "GatewayClass traefik (of Gateway default/gw) does not list HTTPRouteRequestPercentageMirror in status.supportedFeatures";
    w.settle(MIRRORED, "h2", 5);
    RolloutStatus s = w.status;
    assertEquals(RevisionState.Canary, s.state());
    assertEquals(0, s.currentStepIndex(), "held at the mirror step");
    assertEquals(RouteShape.NONE, w.shape, "no mirror written");
    assertTrue(
        w.log.stream().noneMatch(a -> a instanceof SetWeight sw && sw.shape().mirrorPercent() > 0));
    assertEquals(
        1,
        w.log.stream()
            .filter(a -> a instanceof Action.Emit e && e.reason().equals("MirrorUnsupported"))
            .count(),
        w.log.toString());
    assertEquals("MirrorUnsupported", RolloutDeciderTest.cond(s, "TrafficRouted").reason());
    assertTrue(
        s.message()
            .startsWith(
                "step 1/4: holding: mirroring is not supported by this gateway: GatewayClass traefik"),
        s.message());
    Decision d = w.step(MIRRORED, "h2", RequestAction.Abort);
    assertEquals(RevisionState.RolledBack, d.status().state());
  }

  @Test
  void aNewRevisionMidMirrorDrainsTheMirrorBeforeTheNextCanaryStarts() {
    World w = RolloutDeciderTest.stableWorld(MIRRORED);
    w.settle(MIRRORED, "h2", 20);
    assertEquals(30, w.shape.mirrorPercent());
    w.gatewayAccepts = false;
    Decision d = w.step(MIRRORED, "h3");
    assertEquals(RevisionState.Pending, d.status().state());
    assertEquals(RouteShape.NONE, w.shape);
    assertTrue(
        d.actionsOf(Action.PointServices.class).isEmpty(),
        "the canary Service is not re-pointed while mirrored requests may reach it");
    w.gatewayAccepts = true;
    d = w.step(MIRRORED, "h3");
    assertTrue(d.actions().contains(new Action.PointServices("h1", "h3")));
  }

  @Test
  void aSegmentWithoutTrafficRoutingOrAnInvalidOneIsRefusedByName() {
    RolloutSpec unrouted =
        new RolloutSpec(
            4,
            SEGMENTED.selector(),
            SEGMENTED.template(),
            null,
            null,
            null,
            new Strategy(
                new CanaryStrategy(
                    "demo-stable", "demo-canary", null, null, null, null, List.of(SEGMENT))));
    assertEquals(
        "spec.strategy.canary.trafficRouting: setWeight, setHeaderRoute and setMirrorRoute steps need trafficRouting.gatewayAPI with at least one HTTPRoute or GRPCRoute",
        SpecCheck.problem(unrouted));
    RolloutSpec both = spec(CanaryStep.headerRoute(new SegmentMatch("X-A", "c", "v", null)));
    assertEquals(
        "spec.strategy.canary.steps[0].setHeaderRoute.match[0]: each match names exactly one of header, cookie, grpcMethod",
        SpecCheck.problem(both));
    RolloutSpec regex =
        spec(
            CanaryStep.headerRoute(
                new SegmentMatch("X-A", null, "(", SegmentMatch.Type.RegularExpression)));
    assertTrue(
        SpecCheck.problem(regex)
            .startsWith(
                "spec.strategy.canary.steps[0].setHeaderRoute.match[0].value: not a regular expression"));
    RolloutSpec creds = spec(CanaryStep.headerRoute(SegmentMatch.header("Authorization", "x")));
    assertTrue(SpecCheck.problem(creds).contains("never route on credentials"));
    assertTrue(
        SpecCheck.problem(
                spec(CanaryStep.headerRoute(SegmentMatch.header("Proxy-Authorization", "x"))))
            .contains("never route on credentials"));
    assertTrue(
        SpecCheck.problem(spec(CanaryStep.headerRoute(SegmentMatch.header("X-Api-Key", "x"))))
            .contains("never route on a credential"));
    assertTrue(
        SpecCheck.problem(spec(CanaryStep.headerRoute(SegmentMatch.cookie("session_id", "x"))))
            .contains("never route on a credential"));
  }

  @Test
  void cookieRegexMatchesTheCookieAmongOthersAndNothingElse() {
    Pattern p = Pattern.compile(Segments.cookieRegex("beta", "on.1"));
    assertTrue(p.matcher("beta=on.1").matches());
    assertTrue(p.matcher("a=b; beta=on.1; c=d").matches());
    assertTrue(p.matcher("a=b;beta=on.1").matches());
    assertTrue(!p.matcher("xbeta=on.1").matches());
    assertTrue(!p.matcher("beta=onx1").matches(), "the dot is literal");
    assertTrue(!p.matcher("beta=on.10").matches());
  }
}
