package dev.slipway.controller.core;

import static dev.slipway.controller.core.Fixtures.T0;
import static dev.slipway.controller.core.Fixtures.obs;
import static dev.slipway.controller.core.Fixtures.spec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.analysis.AnalysisResult;
import dev.slipway.analysis.Verdict;
import dev.slipway.analysis.run.MetricSummary;
import dev.slipway.analysis.run.RunResult;
import dev.slipway.api.v1alpha1.AnalysisStep;
import dev.slipway.api.v1alpha1.CanaryStep;
import dev.slipway.api.v1alpha1.CanaryStrategy;
import dev.slipway.api.v1alpha1.Condition;
import dev.slipway.api.v1alpha1.PauseReason;
import dev.slipway.api.v1alpha1.PauseStep;
import dev.slipway.api.v1alpha1.Phase;
import dev.slipway.api.v1alpha1.PostPromotion;
import dev.slipway.api.v1alpha1.RequestAction;
import dev.slipway.api.v1alpha1.RevisionState;
import dev.slipway.api.v1alpha1.RolloutSpec;
import dev.slipway.api.v1alpha1.RolloutStatus;
import dev.slipway.api.v1alpha1.SetCanaryScale;
import dev.slipway.api.v1alpha1.Strategy;
import dev.slipway.controller.core.Action.EnsureReplicaSet;
import dev.slipway.controller.core.Action.PointServices;
import dev.slipway.controller.core.Action.RecordTransition;
import dev.slipway.controller.core.Action.ScaleReplicaSet;
import dev.slipway.controller.core.Action.SetWeight;
import dev.slipway.controller.core.Action.StartAnalysis;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RolloutDeciderTest {
  static final RolloutSpec THREE_STEPS =
      spec(CanaryStep.weight(20), CanaryStep.weight(50), CanaryStep.weight(80));

  /** A world where h1 is stable at 4 replicas with weight 0. */
  static World stableWorld(RolloutSpec spec) {
    World w = new World();
    w.settle(spec, "h1", 10);
    assertEquals(RevisionState.Stable, w.status.state());
    w.log.clear();
    w.weightAtAction.clear();
    return w;
  }

  static Condition cond(RolloutStatus s, String type) {
    return s.conditionsOrEmpty().stream()
        .filter(c -> c.type().equals(type))
        .findFirst()
        .orElse(null);
  }

  // ---- first deploy ----

  @Test
  void firstDeployCreatesFullReplicaSetAndWaitsForPods() {
    Decision d = RolloutDecider.decide(THREE_STEPS, null, obs("h1").build(), T0);
    assertEquals(List.of(new EnsureReplicaSet("h1", 4)), d.actionsOf(EnsureReplicaSet.class));
    assertEquals(List.of(new PointServices("h1", "h1")), d.actionsOf(PointServices.class));
    assertEquals(List.of(new SetWeight(0)), d.actionsOf(SetWeight.class));
    assertEquals(RevisionState.Pending, d.status().state());
    assertEquals(Phase.Progressing, d.status().phase());
    assertEquals(1L, d.status().observedGeneration());
    assertNull(d.status().stableRevision());
    assertEquals(
        List.of(
            new RecordTransition(
                "h1",
                1,
                null,
                null,
                RevisionState.Pending,
                "NewRevision",
                "first revision h1: no stable revision, no canary")),
        d.actionsOf(RecordTransition.class));
  }

  @Test
  void firstDeployGoesStraightToStableWithNoCanary() {
    RolloutStatus pending =
        RolloutDecider.decide(THREE_STEPS, null, obs("h1").build(), T0).status();
    Decision d =
        RolloutDecider.decide(
            THREE_STEPS, pending, obs("h1").rs("h1", 4, 4).build(), T0.plusSeconds(5));
    assertEquals(RevisionState.Stable, d.status().state());
    assertEquals(Phase.Healthy, d.status().phase());
    assertEquals("h1", d.status().stableRevision());
    assertNull(d.status().canaryRevision());
    assertTrue(d.actionsOf(SetWeight.class).stream().allMatch(w -> w.canaryWeight() == 0));
    assertEquals(RevisionState.Stable, d.actionsOf(RecordTransition.class).get(0).to());
    assertEquals(4, d.status().replicas());
    assertEquals("app=demo", d.status().selector());
  }

  @Test
  void steadyStateIsIdempotent() {
    World w = stableWorld(THREE_STEPS);
    RolloutStatus before = w.status;
    Decision d = w.step(THREE_STEPS, "h1");
    assertEquals(before, d.status());
    assertTrue(d.actionsOf(RecordTransition.class).isEmpty());
    assertNull(d.requeueAfter());
  }

  // ---- new revision ----

  @Test
  void newRevisionStartsPendingWithOneCanaryPodAndNoTraffic() {
    World w = stableWorld(THREE_STEPS);
    w.podsGetReady = false;
    Decision d = w.step(THREE_STEPS, "h2");
    assertEquals(RevisionState.Pending, d.status().state());
    assertEquals("h2", d.status().canaryRevision());
    assertEquals("h1", d.status().stableRevision());
    assertTrue(d.actions().contains(new EnsureReplicaSet("h2", 1)));
    assertTrue(d.actions().contains(new EnsureReplicaSet("h1", 4)));
    assertTrue(d.actions().contains(new PointServices("h1", "h2")));
    assertTrue(d.actionsOf(SetWeight.class).isEmpty(), "no traffic before canary pods are ready");
    assertEquals(0, d.status().currentStepIndex());
    assertEquals(RolloutDecider.POLL, d.requeueAfter());
  }

  @Test
  void threeStepCanaryWalksToStableAndMovesTrafficBeforeScaling() {
    World w = stableWorld(THREE_STEPS);
    RolloutStatus s = w.settle(THREE_STEPS, "h2", 50);
    assertEquals(RevisionState.Stable, s.state());
    assertEquals(Phase.Healthy, s.phase());
    assertEquals("h2", s.stableRevision());
    assertNull(s.canaryRevision());
    assertEquals(0, w.weight);
    assertEquals(
        List.of(20, 50, 80, 0),
        w.log.stream()
            .filter(SetWeight.class::isInstance)
            .map(a -> ((SetWeight) a).canaryWeight())
            .distinct()
            .toList());
    assertEquals(
        List.of(
            "null->Pending",
            "Pending->Ready",
            "Ready->Canary",
            "Canary->Promoted",
            "Promoted->Stable"),
        w.transitions().stream().map(t -> t.from() + "->" + t.to()).toList());
    assertEquals(0, w.replicas.get("h1"), "old stable scaled down");
    assertEquals(4, w.replicas.get("h2"));
  }

  // ---- each step kind ----

  @Test
  void setWeightWaitsForCanaryPodsThenForGatewayAcceptance() {
    World w = stableWorld(THREE_STEPS);
    w.podsGetReady = false;
    Decision d = w.step(THREE_STEPS, "h2");
    d = w.step(THREE_STEPS, "h2");
    assertTrue(
        d.actionsOf(SetWeight.class).isEmpty(), "no weight before the canary pods are ready");
    assertTrue(d.status().message().contains("ready canary pod"), d.status().message());
    w.podsGetReady = true;
    d = w.step(THREE_STEPS, "h2"); // Pending -> Ready -> Canary; step 0 has its 1 pod for 20%
    assertEquals(List.of(new SetWeight(20)), d.actionsOf(SetWeight.class));
    assertEquals(0, d.status().currentStepIndex(), "weight not yet accepted by the gateway");
    assertEquals(20, d.status().desiredWeight());
    w.gatewayAccepts = false;
    d = w.step(THREE_STEPS, "h2"); // gateway not accepting
    assertEquals(0, d.status().currentStepIndex());
    assertNull(d.status().verifiedWeight());
    assertEquals("RouteNotAccepted", cond(d.status(), "TrafficRouted").reason());
    w.gatewayAccepts = true;
    d = w.step(THREE_STEPS, "h2");
    assertEquals(20, d.status().verifiedWeight());
    assertEquals(1, d.status().currentStepIndex());
    assertEquals("True", cond(d.status(), "TrafficRouted").status());
  }

  @Test
  void setCanaryScaleOverridesPodCountIndependentOfWeight() {
    RolloutSpec spec =
        spec(
            CanaryStep.scale(new SetCanaryScale(3, null, null)),
            CanaryStep.weight(10),
            CanaryStep.pause(null));
    World w = stableWorld(spec);
    w.settle(spec, "h2", 20);
    assertEquals(RevisionState.Paused, w.status.state());
    assertEquals(3, w.replicas.get("h2"), "3 pods although 10% of 4 would be 1");
    assertEquals(10, w.status.verifiedWeight());
    assertEquals(new SetCanaryScale(3, null, null), w.status.canaryScale());
  }

  @Test
  void analysisStepRunsThenAdvancesOnSuccess() {
    RolloutSpec spec =
        spec(
            CanaryStep.weight(20),
            CanaryStep.analysis(AnalysisStep.templates("success-rate")),
            CanaryStep.weight(50));
    World w = stableWorld(spec);
    w.settle(spec, "h2", 10);
    assertEquals(1, w.status.currentStepIndex());
    assertTrue(
        w.log.stream()
            .anyMatch(
                a ->
                    a instanceof StartAnalysis s
                        && s.stepIndex() == 1
                        && s.revision().equals("h2")));
    assertEquals(RevisionState.Canary, w.status.state());
    w.verdicts.put("h2/1", AnalysisResult.of(Verdict.Successful, "ok"));
    RolloutStatus s = w.settle(spec, "h2", 20);
    assertEquals(RevisionState.Stable, s.state());
  }

  @Test
  void analysisFailedRollsBackAndInconclusivePauses() {
    RolloutSpec spec =
        spec(CanaryStep.weight(20), CanaryStep.analysis(AnalysisStep.templates("t")));
    World w = stableWorld(spec);
    w.settle(spec, "h2", 10);
    w.verdicts.put("h2/1", AnalysisResult.of(Verdict.Inconclusive, "no data for canary"));
    Decision d = w.step(spec, "h2");
    assertEquals(RevisionState.Paused, d.status().state());
    assertEquals(Phase.Paused, d.status().phase());
    assertEquals(PauseReason.AnalysisInconclusive, d.status().pauseConditions().get(0).reason());
    assertTrue(d.status().message().contains("no data for canary"));

    World f = stableWorld(spec);
    f.settle(spec, "h2", 10);
    f.verdicts.put("h2/1", AnalysisResult.of(Verdict.Failed, "success rate 0.80 < 0.99"));
    d = f.step(spec, "h2");
    assertEquals(RevisionState.RolledBack, d.status().state());
    assertEquals(Phase.Degraded, d.status().phase());
    assertEquals("AnalysisFailed", cond(d.status(), "Aborted").reason());
    assertEquals(List.of(new SetWeight(0)), d.actionsOf(SetWeight.class));
    // The decision to stop the revision's analysis (and delete a running Job check) is the core's.
    assertEquals(List.of(new Action.StopAnalysis("h2")), d.actionsOf(Action.StopAnalysis.class));
    assertFalse(
        d.actions().contains(new ScaleReplicaSet("h2", 0)),
        "no scale-down before weight 0 is verified");
  }

  @Test
  void analysisErrorIsNeverSuccess() {
    RolloutSpec spec = spec(CanaryStep.analysis(AnalysisStep.templates("t")));
    World w = stableWorld(spec);
    w.settle(spec, "h2", 10);
    w.verdicts.put("h2/0", AnalysisResult.of(Verdict.Error, "prometheus unreachable"));
    Decision d = w.step(spec, "h2");
    assertEquals(RevisionState.RolledBack, d.status().state());
    assertEquals("AnalysisError", cond(d.status(), "Aborted").reason());
  }

  static RolloutSpec withBackground(RolloutSpec spec) {
    var c = spec.strategy().canary();
    return new RolloutSpec(
        spec.replicas(),
        spec.selector(),
        spec.template(),
        spec.revisionHistoryLimit(),
        spec.progressDeadlineSeconds(),
        spec.paused(),
        new Strategy(
            new CanaryStrategy(
                c.stableService(),
                c.canaryService(),
                c.trafficRouting(),
                AnalysisStep.templates("bg"),
                null,
                c.scaleDownDelay(),
                c.steps())));
  }

  @Test
  void backgroundFailureRollsBackEvenWhilePaused() {
    RolloutSpec spec =
        withBackground(spec(CanaryStep.weight(20), CanaryStep.pause(null), CanaryStep.weight(50)));
    World w = stableWorld(spec);
    w.settle(spec, "h2", 10);
    assertEquals(RevisionState.Paused, w.status.state());
    assertTrue(
        w.log.contains(
            new StartAnalysis(
                "h2", Observations.BACKGROUND, spec.strategy().canary().backgroundAnalysis())));
    w.verdicts.put(
        "h2/-1", AnalysisResult.of(Verdict.Failed, "success-rate: 0.8 is outside value >= 0.99"));
    Decision d = w.step(spec, "h2");
    assertEquals(RevisionState.RolledBack, d.status().state());
    assertEquals("AnalysisFailed", cond(d.status(), "Aborted").reason());
    assertTrue(cond(d.status(), "Aborted").message().startsWith("background analysis Failed"));
  }

  @Test
  void backgroundInconclusivePausesThenMeasuresAfreshOnResume() {
    RolloutSpec spec = withBackground(spec(CanaryStep.weight(20), CanaryStep.weight(50)));
    World w = stableWorld(spec);
    w.verdicts.put("h2/-1", AnalysisResult.of(Verdict.Inconclusive, "no data"));
    w.settle(spec, "h2", 10);
    assertEquals(RevisionState.Paused, w.status.state());
    assertEquals(PauseReason.AnalysisInconclusive, w.status.pauseConditions().get(0).reason());
    assertTrue(w.log.contains(new Action.ForgetAnalysis("h2", Observations.BACKGROUND)));
    assertFalse(w.verdicts.containsKey("h2/-1"), "the inconclusive run is forgotten");
    w.log.clear();
    Decision d = w.step(spec, "h2", RequestAction.Resume);
    assertEquals(RevisionState.Canary, d.status().state());
    assertTrue(
        d.actions().stream()
            .anyMatch(
                a -> a instanceof StartAnalysis s && s.stepIndex() == Observations.BACKGROUND));
  }

  @Test
  void runningAnalysisRequeuesAtTheNextMeasurementAndSummarizesInStatus() {
    RolloutSpec spec = spec(CanaryStep.analysis(AnalysisStep.templates("t")));
    World w = stableWorld(spec);
    w.settle(spec, "h2", 10);
    var summary =
        new MetricSummary(
            "success-rate",
            Verdict.Running,
            "1 of 3 measurements taken",
            0.998,
            null,
            "value >= 0.99",
            1,
            0,
            0,
            0,
            false);
    var running =
        new RunResult(
            AnalysisResult.of(Verdict.Running, "measuring"),
            w.now.plusSeconds(7),
            List.of(summary),
            w.now,
            List.of());
    Observations o = Fixtures.obs("h2").rs("h1", 0, 0).rs("h2", 4, 4).weight(0, true).build();
    o =
        new Observations(
            o.generation(),
            o.desiredRevision(),
            o.replicaSets(),
            o.traffic(),
            Map.of(0, running),
            null);
    Decision d = RolloutDecider.decide(spec, w.status, o, w.now);
    assertEquals(Duration.ofSeconds(7), d.requeueAfter());
    var run = d.status().analysisRuns().get(0);
    assertEquals(0, run.step());
    assertEquals("Running", run.verdict());
    assertEquals(0.998, run.metrics().get(0).value());
    assertEquals("value >= 0.99", run.metrics().get(0).condition());
  }

  static RolloutSpec withPostPromotion(RolloutSpec spec, PostPromotion pp) {
    var c = spec.strategy().canary();
    return new RolloutSpec(
        spec.replicas(),
        spec.selector(),
        spec.template(),
        spec.revisionHistoryLimit(),
        spec.progressDeadlineSeconds(),
        spec.paused(),
        new Strategy(
            new CanaryStrategy(
                c.stableService(),
                c.canaryService(),
                c.trafficRouting(),
                null,
                pp,
                c.scaleDownDelay(),
                c.steps())));
  }

  @Test
  void postPromotionWindowKeepsThePreviousStableReadyUntilItEnds() {
    RolloutSpec spec =
        withPostPromotion(spec(CanaryStep.weight(50)), new PostPromotion("30m", null, null));
    World w = stableWorld(spec);
    w.settle(spec, "h2", 20);
    assertEquals(RevisionState.Promoted, w.status.state());
    assertEquals("h2", w.status.stableRevision());
    assertEquals("h1", w.status.promotedFrom());
    assertEquals(
        4, w.replicas.get("h1"), "the previous stable stays scaled up for a quick rollback");
    assertTrue(w.status.message().startsWith("promoted; observing h2 until"), w.status.message());
    w.now = w.now.plus(Duration.ofMinutes(30));
    RolloutStatus s = w.settle(spec, "h2", 10);
    assertEquals(RevisionState.Stable, s.state());
    assertEquals(0, w.replicas.get("h1"));
    assertNull(s.promotedFrom());
    assertNull(s.observingSince());
  }

  @Test
  void failureInsideTheWindowSendsTrafficBackToThePreviousStable() {
    var pp = new PostPromotion("5m", AnalysisStep.templates("sr"), null);
    RolloutSpec spec = withPostPromotion(spec(CanaryStep.weight(50)), pp);
    World w = stableWorld(spec);
    w.settle(spec, "h2", 20);
    assertEquals(RevisionState.Promoted, w.status.state());
    assertTrue(
        w.log.stream()
            .anyMatch(
                a ->
                    a instanceof StartAnalysis st
                        && st.stepIndex() == PostPromotionWindow.KEY
                        && st.revision().equals("h2")));
    w.verdicts.put(
        "h2/" + PostPromotionWindow.KEY,
        AnalysisResult.of(Verdict.Failed, "success-rate 0.7 < 0.99"));
    w.log.clear();
    Decision d = w.step(spec, "h2");
    assertEquals(RevisionState.RolledBack, d.status().state());
    assertEquals("h1", d.status().stableRevision());
    assertEquals("PostPromotionAnalysisFailed", cond(d.status(), "Aborted").reason());
    assertTrue(d.actions().contains(new PointServices("h1", "h1")));
    assertTrue(
        d.actions().contains(new ScaleReplicaSet("h2", 0)),
        "the rollback finishes in the same pass: " + d.actions());
    assertTrue(d.status().message().startsWith("rolled back: "), d.status().message());
    RolloutStatus s = w.settle(spec, "h2", 10);
    assertEquals(
        0, w.replicas.get("h2"), "the promoted revision is scaled down after traffic went back");
    assertEquals(4, w.replicas.get("h1"));
    int pointBack = w.log.indexOf(new PointServices("h1", "h1"));
    int scaleDown = w.log.indexOf(new ScaleReplicaSet("h2", 0));
    assertTrue(pointBack >= 0 && pointBack < scaleDown, "traffic first, then scale: " + w.log);
    assertEquals(RevisionState.RolledBack, s.state());
  }

  @Test
  void alertPolicyWarnsAndStillPromotes() {
    var pp = new PostPromotion("1m", AnalysisStep.templates("sr"), PostPromotion.OnFailure.Alert);
    RolloutSpec spec = withPostPromotion(spec(CanaryStep.weight(50)), pp);
    World w = stableWorld(spec);
    w.verdicts.put(
        "h2/" + PostPromotionWindow.KEY,
        AnalysisResult.of(Verdict.Error, "prometheus unreachable"));
    w.settle(spec, "h2", 20);
    assertTrue(
        w.log.stream()
            .anyMatch(
                a ->
                    a instanceof Action.Emit e
                        && e.warning()
                        && e.reason().equals("PostPromotionAnalysisFailed")));
    w.now = w.now.plus(Duration.ofMinutes(1));
    assertEquals(RevisionState.Stable, w.settle(spec, "h2", 10).state());
    assertEquals(
        1,
        w.log.stream()
            .filter(
                a -> a instanceof Action.Emit e && e.reason().equals("PostPromotionAnalysisFailed"))
            .count(),
        "one warning, not one per pass");
  }

  // ---- pauses ----

  @Test
  void timedPauseRequeuesForItsDurationThenAdvances() {
    RolloutSpec spec = spec(CanaryStep.weight(20), CanaryStep.pause("30s"), CanaryStep.weight(50));
    World w = stableWorld(spec);
    Decision d = null;
    for (int i = 0; i < 5 && (d == null || d.status().state() != RevisionState.Paused); i++) {
      d = w.step(spec, "h2");
    }
    assertEquals(RevisionState.Paused, d.status().state());
    assertEquals(Duration.ofSeconds(30), d.requeueAfter());
    assertEquals(T0.plusSeconds(30).toString(), d.status().pauseConditions().get(0).until());
    w.now = T0.plusSeconds(10);
    d = w.step(spec, "h2");
    assertEquals(RevisionState.Paused, d.status().state());
    assertEquals(Duration.ofSeconds(20), d.requeueAfter());
    w.now = T0.plusSeconds(30);
    d = w.step(spec, "h2");
    assertEquals(2, d.status().currentStepIndex());
    assertTrue(
        d.actions().contains(new EnsureReplicaSet("h2", 2)), "50% of 4 pods before weight 50");
    assertNull(d.status().pauseConditions());
    d = w.step(spec, "h2");
    assertTrue(d.actions().contains(new SetWeight(50)));
  }

  @Test
  void indefinitePauseWaitsForResume() {
    RolloutSpec spec = spec(CanaryStep.weight(20), CanaryStep.pause(null), CanaryStep.weight(50));
    World w = stableWorld(spec);
    w.settle(spec, "h2", 10);
    w.now = T0.plus(Duration.ofDays(2));
    Decision d = w.step(spec, "h2");
    assertEquals(RevisionState.Paused, d.status().state());
    assertEquals(1, d.status().currentStepIndex());
    assertTrue(
        d.actionsOf(RecordTransition.class).isEmpty(),
        "paused time does not count toward the deadline");
    d = w.step(spec, "h2", RequestAction.Resume);
    assertEquals(2, d.status().currentStepIndex());
    assertEquals(RequestAction.Resume, d.status().lastAction().action());
    assertEquals("alice@example.com", d.status().lastAction().requestedBy());
    assertEquals("kubectl-patch", d.status().lastAction().fieldManager());
    assertNull(d.status().request());
  }

  @Test
  void manualPauseAndResume() {
    World w = stableWorld(THREE_STEPS);
    w.step(THREE_STEPS, "h2");
    w.step(THREE_STEPS, "h2");
    int step = w.status.currentStepIndex();
    Decision d = w.step(THREE_STEPS, "h2", RequestAction.Pause);
    assertEquals(RevisionState.Paused, d.status().state());
    assertEquals(PauseReason.Manual, d.status().pauseConditions().get(0).reason());
    assertEquals("paused", d.status().lastAction().result());
    assertTrue(
        d.actionsOf(Action.Emit.class).stream()
            .anyMatch(e -> e.reason().equals("ManualPause") && !e.warning()));
    d = w.step(THREE_STEPS, "h2");
    d = w.step(THREE_STEPS, "h2");
    assertEquals(RevisionState.Paused, d.status().state(), "stays paused");
    assertEquals(step, d.status().currentStepIndex());
    d = w.step(THREE_STEPS, "h2", RequestAction.Resume);
    assertEquals(RevisionState.Canary, d.status().state());
    assertNull(d.status().pauseConditions());
  }

  @Test
  void specPausedHoldsTheCanaryAndResumeCannotOverrideGit() {
    RolloutSpec paused = spec(true, CanaryStep.weight(20), CanaryStep.weight(50));
    World w = stableWorld(paused);
    w.settle(paused, "h2", 10);
    Decision d = w.step(paused, "h2");
    assertEquals(RevisionState.Paused, d.status().state());
    assertEquals(0, d.status().currentStepIndex());
    assertEquals(0, w.weight);
    assertEquals(PauseReason.SpecPaused, d.status().pauseConditions().get(0).reason());
    d = w.step(paused, "h2", RequestAction.Resume);
    assertTrue(d.status().lastAction().result().startsWith("refused"));
    assertEquals(RevisionState.Paused, d.status().state());
    RolloutSpec unpaused = spec(false, CanaryStep.weight(20), CanaryStep.weight(50));
    d = w.step(unpaused, "h2");
    assertEquals(RevisionState.Canary, d.status().state());
  }

  // ---- promote ----

  @Test
  void promoteOneStepSkipsTheCurrentStep() {
    RolloutSpec spec =
        spec(
            CanaryStep.weight(20),
            CanaryStep.pause(null),
            CanaryStep.weight(50),
            CanaryStep.pause(null));
    World w = stableWorld(spec);
    w.settle(spec, "h2", 10);
    assertEquals(1, w.status.currentStepIndex());
    Decision d = w.step(spec, "h2", RequestAction.Promote);
    assertEquals(2, d.status().currentStepIndex());
    assertEquals("promoted one step; now at step 3/4", d.status().lastAction().result());
    w.settle(spec, "h2", 10);
    assertTrue(w.log.contains(new SetWeight(50)));
    assertEquals(RevisionState.Paused, w.status.state());
    assertEquals(3, w.status.currentStepIndex());
  }

  @Test
  void promoteFullSkipsAllRemainingSteps() {
    RolloutSpec spec =
        spec(
            CanaryStep.weight(20),
            CanaryStep.pause(null),
            CanaryStep.weight(50),
            CanaryStep.pause(null));
    World w = stableWorld(spec);
    w.settle(spec, "h2", 10);
    Decision d = w.step(spec, "h2", RequestAction.PromoteFull);
    assertEquals(RevisionState.Promoted, d.status().state());
    assertEquals(4, d.status().currentStepIndex());
    RolloutStatus s = w.settle(spec, "h2", 20);
    assertEquals(RevisionState.Stable, s.state());
    assertEquals("h2", s.stableRevision());
    assertFalse(w.log.contains(new SetWeight(50)), "skipped steps write no weight");
  }

  // ---- abort and retry ----

  @Test
  void abortMovesTrafficToStableBeforeScalingDownThenRetryStartsOver() {
    World w = stableWorld(THREE_STEPS);
    w.step(THREE_STEPS, "h2");
    w.step(THREE_STEPS, "h2");
    w.step(THREE_STEPS, "h2");
    assertTrue(w.weight > 0);
    w.gatewayAccepts = false; // the gateway takes its time to accept weight 0
    Decision d = w.step(THREE_STEPS, "h2", RequestAction.Abort);
    assertEquals(RevisionState.RolledBack, d.status().state());
    assertEquals(Phase.Degraded, d.status().phase());
    assertTrue(d.status().abort());
    assertEquals(List.of(new SetWeight(0)), d.actionsOf(SetWeight.class));
    assertTrue(
        d.actionsOf(ScaleReplicaSet.class).stream().noneMatch(s -> s.revision().equals("h2")));
    d = w.step(THREE_STEPS, "h2");
    assertTrue(
        d.actionsOf(ScaleReplicaSet.class).stream().noneMatch(s -> s.revision().equals("h2")),
        "weight 0 not yet accepted: canary keeps its pods");
    w.gatewayAccepts = true;
    d = w.step(THREE_STEPS, "h2");
    assertTrue(d.actions().contains(new ScaleReplicaSet("h2", 0)));
    int scaleAt = w.log.indexOf(new ScaleReplicaSet("h2", 0));
    assertEquals(0, w.weightAtAction.get(scaleAt), "canary weight was 0 when it was scaled down");
    assertTrue(
        d.status().message().startsWith("rolled back: aborted by alice@example.com"),
        d.status().message());

    assertEquals(1, d.status().attempt());
    d = w.step(THREE_STEPS, "h2", RequestAction.Retry);
    assertEquals(RevisionState.Pending, d.status().state());
    assertEquals(2, d.status().attempt(), "a retry is the revision's next attempt");
    assertTrue(
        d.actions()
            .contains(
                new RecordTransition(
                    "h2",
                    2,
                    0,
                    RevisionState.RolledBack,
                    RevisionState.Pending,
                    "Retry",
                    d.actionsOf(RecordTransition.class).get(0).message())),
        d.actions().toString());
    assertNull(d.status().abort());
    assertEquals(0, d.status().currentStepIndex());
    assertEquals(RevisionState.Stable, w.settle(THREE_STEPS, "h2", 50).state());
  }

  @Test
  void requestsThatDoNotFitTheStateAreRefusedVisibly() {
    World w = stableWorld(THREE_STEPS);
    Decision d = w.step(THREE_STEPS, "h1", RequestAction.Abort);
    assertTrue(d.status().lastAction().result().startsWith("refused"));
    assertNull(d.status().request());
    assertTrue(d.actionsOf(Action.Emit.class).get(0).warning());
    assertEquals(RevisionState.Stable, d.status().state());
  }

  // ---- revisions arriving mid-canary ----

  @Test
  void newerRevisionMidCanarySupersedesAndDrainsTheOldCanaryFirst() {
    World w = stableWorld(THREE_STEPS);
    w.step(THREE_STEPS, "h2");
    w.step(THREE_STEPS, "h2");
    assertEquals(20, w.weight);
    w.gatewayAccepts = false;
    Decision d = w.step(THREE_STEPS, "h3");
    assertEquals(
        List.of(
            new RecordTransition(
                "h2",
                1,
                0,
                RevisionState.Canary,
                RevisionState.Superseded,
                "NewerRevision",
                "superseded by h3"),
            new RecordTransition(
                "h3",
                1,
                0,
                null,
                RevisionState.Pending,
                "NewRevision",
                "new revision h3 will be canaried against stable h1")),
        d.actionsOf(RecordTransition.class));
    assertEquals("h3", d.status().canaryRevision());
    assertEquals(List.of(new SetWeight(0)), d.actionsOf(SetWeight.class));
    assertTrue(
        d.actionsOf(PointServices.class).isEmpty(),
        "canary Service keeps h2 until its traffic is gone");
    w.gatewayAccepts = true;
    d = w.step(THREE_STEPS, "h3");
    assertTrue(d.actions().contains(new PointServices("h1", "h3")));
    assertTrue(d.actions().contains(new ScaleReplicaSet("h2", 0)));
    assertEquals(RevisionState.Stable, w.settle(THREE_STEPS, "h3", 50).state());
    assertEquals("h3", w.status.stableRevision());
  }

  @Test
  void templateRevertedToStableMidCanaryIsAFastRollback() {
    World w = stableWorld(THREE_STEPS);
    w.step(THREE_STEPS, "h2");
    w.step(THREE_STEPS, "h2");
    w.gatewayAccepts = false;
    Decision d = w.step(THREE_STEPS, "h1");
    assertEquals(
        List.of(
            new RecordTransition(
                "h2",
                1,
                0,
                RevisionState.Canary,
                RevisionState.Superseded,
                "TemplateReverted",
                "template reverted to stable h1; canary abandoned")),
        d.actionsOf(RecordTransition.class));
    assertEquals(RevisionState.Stable, d.status().state());
    assertEquals(Phase.Progressing, d.status().phase(), "not Healthy until the canary is drained");
    assertFalse(d.actions().contains(new ScaleReplicaSet("h2", 0)));
    w.gatewayAccepts = true;
    d = w.step(THREE_STEPS, "h1");
    assertTrue(d.actions().contains(new ScaleReplicaSet("h2", 0)));
    assertTrue(d.actions().contains(new PointServices("h1", "h1")));
    assertEquals(Phase.Healthy, d.status().phase());
    assertNull(d.status().canaryRevision());
  }

  // ---- deadlines and the gateway ----

  @Test
  void canaryPodsNeverReadyHitTheProgressDeadlineAndRollBack() {
    World w = stableWorld(THREE_STEPS);
    w.podsGetReady = false;
    Decision d = w.step(THREE_STEPS, "h2");
    assertEquals(RevisionState.Pending, d.status().state());
    assertTrue(
        d.status().message().contains("waiting for 1 ready canary pod"), d.status().message());
    w.now = T0.plusSeconds(59);
    d = w.step(THREE_STEPS, "h2");
    assertEquals(RevisionState.Pending, d.status().state());
    assertEquals(Duration.ofSeconds(1), d.requeueAfter());
    w.now = T0.plusSeconds(60);
    d = w.step(THREE_STEPS, "h2");
    assertEquals(RevisionState.RolledBack, d.status().state());
    assertEquals("ProgressDeadlineExceeded", cond(d.status(), "Aborted").reason());
    assertEquals("False", cond(d.status(), "Progressing").status());
    assertTrue(
        d.actions().contains(new ScaleReplicaSet("h2", 0)),
        "no traffic ever reached it, so it scales down at once");
  }

  @Test
  void missingRouteBlocksTheWeightStepWithAClearCondition() {
    World w = stableWorld(THREE_STEPS);
    w.step(THREE_STEPS, "h2");
    Decision d =
        RolloutDecider.decide(
            THREE_STEPS,
            w.status,
            obs("h2").rs("h1", 4, 4).rs("h2", 1, 1).missingRoute().build(),
            T0);
    assertEquals("RouteNotFound", cond(d.status(), "TrafficRouted").reason());
    assertTrue(cond(d.status(), "TrafficRouted").message().contains("demo"));
    assertEquals(0, d.status().currentStepIndex());
    assertNull(d.status().verifiedWeight());
  }

  @Test
  void unacceptedRouteIsNeverTrusted() {
    World w = stableWorld(THREE_STEPS);
    w.step(THREE_STEPS, "h2");
    Decision d =
        RolloutDecider.decide(
            THREE_STEPS,
            w.status,
            obs("h2").rs("h1", 4, 4).rs("h2", 1, 1).weight(20, false).build(),
            T0);
    assertNull(d.status().verifiedWeight());
    assertEquals(0, d.status().currentStepIndex());
    assertEquals("RouteNotAccepted", cond(d.status(), "TrafficRouted").reason());
  }

  // ---- bad input ----

  @Test
  void invalidSpecChangesNothingAndSaysWhy() {
    RolloutSpec bad = spec(new CanaryStep(20, new PauseStep(null), null, null));
    World w = stableWorld(THREE_STEPS);
    Decision d = RolloutDecider.decide(bad, w.status, obs("h2").rs("h1", 4, 4).build(), T0);
    assertTrue(d.actions().stream().allMatch(a -> a instanceof Action.Emit));
    assertEquals(Phase.Degraded, d.status().phase());
    Condition c = cond(d.status(), "InvalidSpec");
    assertNotNull(c);
    assertEquals(
        "spec.strategy.canary.steps[0]: each step must set exactly one of setWeight, pause, setCanaryScale, analysis, setHeaderRoute, setMirrorRoute",
        c.message());
    assertEquals("h1", d.status().stableRevision());
    Decision again =
        RolloutDecider.decide(bad, d.status(), obs("h2").rs("h1", 4, 4).build(), T0.plusSeconds(1));
    assertTrue(again.actions().isEmpty(), "the Event is emitted once, not on every reconcile");
  }

  @Test
  void aSpecWithoutTemplateIsInvalidNotACrash() {
    RolloutSpec noTemplate =
        new RolloutSpec(4, THREE_STEPS.selector(), null, null, null, null, THREE_STEPS.strategy());
    Decision d = RolloutDecider.decide(noTemplate, null, obs("").build(), T0);
    assertEquals(
        "spec.template: required (or spec.workloadRef, to read it from a Deployment)",
        cond(d.status(), "InvalidSpec").message());
    assertEquals(Phase.Degraded, d.status().phase());
    assertTrue(d.actions().stream().allMatch(a -> a instanceof Action.Emit));
  }

  @Test
  void aRevisionEnteringPendingForgetsEarlierAnalysis() {
    World w = stableWorld(THREE_STEPS);
    Decision d = w.step(THREE_STEPS, "h2");
    assertTrue(d.actions().contains(new Action.ResetAnalysis("h2")));
  }
}
