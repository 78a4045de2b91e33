package dev.slipway.controller.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.api.v1alpha1.Phase;
import dev.slipway.api.v1alpha1.RevisionState;
import dev.slipway.api.v1alpha1.RolloutStatus;
import dev.slipway.controller.core.Action;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RolloutMetricsTest {
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  final RolloutMetrics metrics = RolloutMetrics.inMemory();
  final MeterRegistry reg = metrics.registry();

  static RolloutStatus status(
      RevisionState state,
      Phase phase,
      Integer step,
      int desired,
      Integer verified,
      String... verdicts) {
    RolloutStatus.Builder b = RolloutStatus.empty().toBuilder();
    b.state = state;
    b.phase = phase;
    b.currentStepIndex = step;
    b.desiredWeight = desired;
    b.verifiedWeight = verified;
    b.canaryRevision = "c1";
    b.attempt = 1;
    b.analysisVerdicts = List.of(verdicts);
    return b.build();
  }

  double gauge(String name, String... tags) {
    return reg.get(name).tags("namespace", "ns", "rollout", "demo").tags(tags).gauge().value();
  }

  @Test
  void gaugesFollowTheLastPass() {
    metrics.pass(
        "ns",
        "demo",
        null,
        status(RevisionState.Canary, Phase.Progressing, 2, 50, 20),
        List.of(),
        T0,
        Duration.ofMillis(5),
        "ok");
    assertEquals(1, gauge("slipway.rollout.phase", "phase", "Progressing"));
    assertEquals(0, gauge("slipway.rollout.phase", "phase", "Healthy"));
    assertEquals(2, gauge("slipway.rollout.step"));
    assertEquals(50, gauge("slipway.rollout.canary.weight", "kind", "desired"));
    assertEquals(20, gauge("slipway.rollout.canary.weight", "kind", "verified"));
    assertEquals(1, reg.get("slipway.reconcile").tags("outcome", "ok").timer().count());
  }

  /**
   * Gauges are registered on a thread of their own (passes never wait on Micrometer's lock): they
   * appear once it runs, and a Rollout forgotten before that leaves no series behind.
   */
  @Test
  void gaugesRegisteredAfterThePassAndNoneForARolloutForgottenFirst() {
    java.util.ArrayDeque<Runnable> later = new java.util.ArrayDeque<>();
    RolloutMetrics deferred = new RolloutMetrics(new SimpleMeterRegistry(), later::add);
    var s = status(RevisionState.Canary, Phase.Progressing, 2, 50, 20);
    deferred.pass("ns", "demo", null, s, List.of(), T0, Duration.ofMillis(5), "ok");
    deferred.pass("ns", "gone", null, s, List.of(), T0, Duration.ofMillis(5), "ok");
    assertNull(deferred.registry().find("slipway.rollout.step").gauge());
    deferred.forget("ns", "gone");
    later.forEach(Runnable::run);
    assertEquals(
        2,
        deferred
            .registry()
            .get("slipway.rollout.step")
            .tags("namespace", "ns", "rollout", "demo")
            .gauge()
            .value());
    assertTrue(
        deferred
            .registry()
            .find("slipway.rollout.step")
            .tags("rollout", "gone")
            .meters()
            .isEmpty());
  }

  @Test
  void transitionsAndEachFinishedAnalysisAreCountedOnce() {
    var canary = status(RevisionState.Canary, Phase.Progressing, 1, 20, 20);
    var measured = status(RevisionState.Canary, Phase.Progressing, 1, 20, 20, "1=Successful");
    metrics.pass(
        "ns",
        "demo",
        null,
        canary,
        List.of(
            new Action.RecordTransition(
                "c1", 1, 0, RevisionState.Ready, RevisionState.Canary, "Steps", "")),
        T0,
        Duration.ZERO,
        "ok");
    metrics.pass("ns", "demo", canary, measured, List.of(), T0, Duration.ZERO, "ok");
    metrics.pass("ns", "demo", measured, measured, List.of(), T0, Duration.ZERO, "ok");
    assertEquals(
        1, reg.get("slipway.transitions").tags("from", "Ready", "to", "Canary").counter().count());
    assertEquals(
        1, reg.get("slipway.analysis.verdicts").tags("verdict", "Successful").counter().count());
  }

  @Test
  void timeToRollbackRunsFromTheDecisionUntilTheGatewayCarriesNoCanaryTraffic() {
    var canary = status(RevisionState.Canary, Phase.Progressing, 1, 20, 20);
    var rollingBack = status(RevisionState.RolledBack, Phase.Degraded, 1, 0, 20, "1=Failed");
    var rolledBack = status(RevisionState.RolledBack, Phase.Degraded, 1, 0, 0, "1=Failed");
    metrics.pass(
        "ns",
        "demo",
        canary,
        rollingBack,
        List.of(
            new Action.RecordTransition(
                "c1", 1, 1, RevisionState.Canary, RevisionState.RolledBack, "AnalysisFailed", "")),
        T0,
        Duration.ZERO,
        "ok");
    metrics.pass(
        "ns", "demo", rollingBack, rollingBack, List.of(), T0.plusMillis(400), Duration.ZERO, "ok");
    metrics.pass(
        "ns", "demo", rollingBack, rolledBack, List.of(), T0.plusMillis(900), Duration.ZERO, "ok");
    metrics.pass(
        "ns", "demo", rolledBack, rolledBack, List.of(), T0.plusMillis(5000), Duration.ZERO, "ok");
    var t = reg.get("slipway.rollback.traffic").timer();
    assertEquals(1, t.count(), "recorded once, when weight 0 was first verified");
    assertEquals(900, t.totalTime(TimeUnit.MILLISECONDS), 0.001);
    assertEquals(
        1, reg.get("slipway.analysis.verdicts").tags("verdict", "Failed").counter().count());
  }

  @Test
  void aDeletedRolloutLeavesNoSeries() {
    metrics.pass(
        "ns",
        "demo",
        null,
        status(RevisionState.Stable, Phase.Healthy, null, 0, 0),
        List.of(),
        T0,
        Duration.ZERO,
        "ok");
    assertEquals(1, metrics.tracked());
    metrics.forget("ns", "demo");
    assertEquals(0, metrics.tracked());
    assertNull(reg.find("slipway.rollout.phase").tags("rollout", "demo").gauge());
    assertTrue(reg.find("slipway.rollout.step").gauges().isEmpty());
    metrics.pass("ns", "demo", null, null, List.of(), T0, Duration.ZERO, "gone");
    assertEquals(0, metrics.tracked(), "a pass that finds the Rollout gone registers nothing");
  }

  @Test
  void doraDeploymentsFailuresLeadTimeAndRestore() {
    var stable = status(RevisionState.Stable, Phase.Healthy, null, 0, 0);
    var rolledBack = status(RevisionState.RolledBack, Phase.Degraded, 1, 0, 0);
    Instant commit = T0.minusSeconds(3600);
    metrics.pass(
        "ns",
        "demo",
        null,
        rolledBack,
        List.of(
            new Action.RecordTransition(
                "c1", 1, 1, RevisionState.Canary, RevisionState.RolledBack, "Aborted", "")),
        T0,
        Duration.ZERO,
        "ok",
        commit);
    metrics.pass(
        "ns",
        "demo",
        rolledBack,
        stable,
        List.of(
            new Action.RecordTransition(
                "c2", 1, 3, RevisionState.Promoted, RevisionState.Stable, "Promoted", "")),
        T0.plusSeconds(600),
        Duration.ZERO,
        "ok",
        T0.plusSeconds(60));
    assertEquals(
        1,
        reg.get("slipway.dora.deployments")
            .tags("namespace", "ns", "rollout", "demo")
            .counter()
            .count());
    assertEquals(
        1,
        reg.get("slipway.dora.change.failures")
            .tags("namespace", "ns", "rollout", "demo")
            .counter()
            .count());
    assertEquals(
        540,
        reg.get("slipway.dora.lead.time")
            .tags("namespace", "ns")
            .timer()
            .totalTime(TimeUnit.SECONDS),
        0.001);
    assertEquals(
        600,
        reg.get("slipway.dora.restore").tags("namespace", "ns").timer().totalTime(TimeUnit.SECONDS),
        0.001);
    metrics.forget("ns", "demo");
    assertNull(
        reg.find("slipway.dora.deployments").tags("rollout", "demo").counter(),
        "per-Rollout series go with the Rollout");
    assertNull(
        reg.find("slipway.transitions").tags("rollout", "demo").counter(),
        "transitions carry the Rollout, and go with it");
  }
}
