package dev.slipway.controller.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.api.v1alpha1.CanaryStep;
import dev.slipway.api.v1alpha1.CanaryStrategy;
import dev.slipway.api.v1alpha1.Phase;
import dev.slipway.api.v1alpha1.RevisionState;
import dev.slipway.api.v1alpha1.RolloutSpec;
import dev.slipway.api.v1alpha1.RolloutStatus;
import dev.slipway.api.v1alpha1.Strategy;
import dev.slipway.api.v1alpha1.WorkloadRef;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Adopting a Deployment: our pods ready, then the Services, then (after the delay) the Deployment
 * to 0.
 */
class AdoptionTest {
  static RolloutSpec adopting(String delay) {
    RolloutSpec base = Fixtures.spec(CanaryStep.weight(50));
    CanaryStrategy c = base.strategy().canary();
    return new RolloutSpec(
        4,
        base.selector(),
        base.template(),
        null,
        60,
        null,
        new Strategy(
            new CanaryStrategy(
                c.stableService(),
                c.canaryService(),
                c.trafficRouting(),
                null,
                null,
                delay,
                c.steps())),
        new WorkloadRef(null, "legacy"));
  }

  @Test
  void theServicesMoveOnlyOnceEveryPodIsReadyAndTheDeploymentGoesAfterTheDelay() {
    RolloutSpec spec = adopting("20s");
    World w = new World();
    w.observeServices = true;
    w.stableSelects = "";
    w.deploymentReplicas = 4;
    w.podsGetReady = false;
    for (int i = 0; i < 3; i++) w.step(spec, "h1");
    assertEquals(RevisionState.Pending, w.status.state());
    assertEquals(4, w.replicas.get("h1"), "the Rollout's own pods come up in full");
    assertTrue(
        w.log.stream().noneMatch(Action.PointServices.class::isInstance),
        "the Services keep selecting the Deployment's pods");
    assertTrue(
        w.status.message().contains("the Services keep selecting Deployment legacy's pods"),
        w.status.message());

    w.podsGetReady = true;
    Decision d = w.step(spec, "h1");
    assertEquals(RevisionState.Stable, d.status().state());
    assertTrue(d.actions().contains(new Action.PointServices("h1", "h1")));
    assertEquals(
        4,
        w.deploymentReplicas,
        "not in the same pass: the gateway has not seen the new endpoints");

    d = w.step(spec, "h1");
    assertEquals(4, w.deploymentReplicas);
    assertTrue(
        d.status()
            .message()
            .startsWith(
                "adopting Deployment legacy: the Services select h1; its 4 pod(s) stay until"),
        d.status().message());
    w.now = w.now.plusSeconds(20);
    d = w.step(spec, "h1");
    assertEquals(
        List.of(new Action.ScaleWorkload("legacy", 0)), d.actionsOf(Action.ScaleWorkload.class));
    assertEquals(0, w.deploymentReplicas);
    RolloutStatus s = w.settle(spec, "h1", 5);
    assertEquals("revision h1 is stable", s.message());
    assertEquals(null, s.adoptionScaleDownAt());
    assertEquals(
        1, w.log.stream().filter(Action.ScaleWorkload.class::isInstance).count(), "scaled once");
  }

  @Test
  void aDeploymentAlreadyAtZeroOrGoneIsLeftAloneAndTheFirstDeployIsAsUsual() {
    RolloutSpec spec = adopting("0s");
    World w = new World();
    w.deploymentReplicas = 0;
    w.step(spec, "h1");
    assertTrue(
        w.log.contains(new Action.PointServices("h1", "h1")),
        "nothing to adopt: the Services are pointed at once, as always");
    w.settle(spec, "h1", 10);
    assertTrue(w.log.stream().noneMatch(Action.ScaleWorkload.class::isInstance));
  }

  @Test
  void aCanaryAfterTheAdoptionIsAnOrdinaryCanary() {
    RolloutSpec spec = adopting("0s");
    World w = new World();
    w.observeServices = true;
    w.deploymentReplicas = 2;
    w.settle(spec, "h1", 10);
    assertEquals(0, w.deploymentReplicas);
    RolloutStatus s = w.settle(spec, "h2", 30);
    assertEquals(RevisionState.Stable, s.state());
    assertEquals("h2", s.stableRevision());
  }

  /**
   * Issue 27: no consent, an older claim or unselected pods: nothing is written, the Deployment
   * least of all.
   */
  @Test
  void aDeploymentThatIsNotOursToAdoptIsNeverTouched() {
    RolloutSpec spec = adopting("0s");
    World w = new World();
    w.observeServices = true;
    w.deploymentReplicas = 3;
    w.workloadRefusal =
        "Deployment default/legacy has not consented to adoption: whoever owns it annotates it slipway.dev/adopt-by=demo";
    for (int i = 0; i < 3; i++) {
      Decision d = w.step(spec, "h1");
      assertTrue(
          d.actions().stream().allMatch(Action.Emit.class::isInstance), d.actions().toString());
      assertEquals("not acting: " + w.workloadRefusal, d.status().message());
      assertEquals(Phase.Degraded, d.status().phase());
      assertTrue(
          d.status().conditionsOrEmpty().stream()
              .anyMatch(
                  c -> c.type().equals("WorkloadRefused") && c.reason().equals("NotAdoptable")));
    }
    assertEquals(
        1,
        w.log.stream()
            .filter(a -> a instanceof Action.Emit e && e.reason().equals("WorkloadRefused"))
            .count(),
        "one Event");
    assertEquals(3, w.deploymentReplicas);
    w.workloadRefusal = null;
    RolloutStatus s = w.settle(spec, "h1", 10);
    assertEquals(RevisionState.Stable, s.state());
    assertTrue(
        s.conditionsOrEmpty().stream().noneMatch(c -> c.type().equals("WorkloadRefused")),
        "the condition clears");
  }
}
