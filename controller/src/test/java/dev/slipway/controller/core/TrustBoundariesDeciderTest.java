package dev.slipway.controller.core;

import static dev.slipway.controller.core.Fixtures.T0;
import static dev.slipway.controller.core.Fixtures.obs;
import static dev.slipway.controller.core.Fixtures.spec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.api.v1alpha1.CanaryStep;
import dev.slipway.api.v1alpha1.Condition;
import dev.slipway.api.v1alpha1.Phase;
import dev.slipway.api.v1alpha1.RequestAction;
import dev.slipway.api.v1alpha1.RevisionState;
import dev.slipway.api.v1alpha1.RolloutSpec;
import dev.slipway.api.v1alpha1.RolloutStatus;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The core's side of the trust boundaries: claims, missing backends, drift, verified weights. */
class TrustBoundariesDeciderTest {
  static final RolloutSpec PAUSING =
      spec(CanaryStep.weight(20), CanaryStep.pause(null), CanaryStep.weight(60));

  static World pausedAt20() {
    World w = new World();
    w.observeServices = true;
    w.settle(PAUSING, "h1", 10);
    w.settle(PAUSING, "h2", 20);
    assertEquals(RevisionState.Paused, w.status.state());
    assertEquals(20, w.status.verifiedWeight());
    w.log.clear();
    return w;
  }

  static Condition cond(RolloutStatus s, String type) {
    return s.conditionsOrEmpty().stream()
        .filter(c -> c.type().equals(type))
        .findFirst()
        .orElse(null);
  }

  @Test
  void aSecondClaimantWritesNothingAndSaysWhy() {
    String why =
        "Service default/demo-stable is managed by Rollout default/older (the older claim); this Rollout writes nothing until it lets go";
    Decision d = RolloutDecider.decide(PAUSING, null, obs("h1").conflict(why).build(), T0);
    assertEquals(
        List.of(new Action.Emit(true, "OwnershipConflict", why)),
        d.actions(),
        "nothing but the Event");
    assertEquals(Phase.Degraded, d.status().phase());
    assertEquals("True", cond(d.status(), "OwnershipConflict").status());
    assertTrue(d.status().message().contains("Rollout default/older"), d.status().message());
    Decision again =
        RolloutDecider.decide(
            PAUSING, d.status(), obs("h1").conflict(why).build(), T0.plusSeconds(30));
    assertEquals(List.of(), again.actions(), "the Event once, not on every pass");
    Decision freed =
        RolloutDecider.decide(PAUSING, d.status(), obs("h1").build(), T0.plusSeconds(60));
    assertNull(cond(freed.status(), "OwnershipConflict"), "the claim gone, the Rollout acts again");
    assertTrue(freed.actions().stream().anyMatch(Action.EnsureReplicaSet.class::isInstance));
  }

  @Test
  void aMissingCanaryServiceHoldsTheStepAndResumeIsRefused() {
    World w = pausedAt20();
    w.canaryServiceMissing = true;
    Decision d = w.step(PAUSING, "h2", RequestAction.Resume);
    assertTrue(
        d.status()
            .lastAction()
            .result()
            .startsWith("refused: Service default/demo-canary not found"),
        d.status().lastAction().result());
    Condition traffic = cond(d.status(), "TrafficRouted");
    assertEquals("ServiceNotFound", traffic.reason());
    assertTrue(
        d.status()
            .message()
            .startsWith("holding at step 2/3: Service default/demo-canary not found"),
        d.status().message());
    for (int i = 0; i < 5; i++) {
      w.now = w.now.plusSeconds(10);
      d = w.step(PAUSING, "h2", RequestAction.PromoteFull);
      assertTrue(
          d.status().lastAction().result().startsWith("refused"), d.status().lastAction().result());
    }
    assertTrue(
        w.log.stream()
            .filter(Action.SetWeight.class::isInstance)
            .allMatch(a -> ((Action.SetWeight) a).canaryWeight() == 20),
        "no weight but the one already there: " + w.log);
    assertEquals(RevisionState.Paused, w.status.state());
    w.canaryServiceMissing = false;
    d = w.step(PAUSING, "h2", RequestAction.Resume);
    assertEquals("resumed", d.status().lastAction().result());
  }

  @Test
  void abortStillTakesTrafficAwayFromAMissingCanaryService() {
    World w = pausedAt20();
    w.canaryServiceMissing = true;
    w.step(PAUSING, "h2", RequestAction.Abort);
    w.settle(PAUSING, "h2", 10);
    assertEquals(RevisionState.RolledBack, w.status.state());
    assertEquals(0, w.weight);
    assertEquals(0, w.replicas.get("h2"));
  }

  @Test
  void aWeightChangedByHandDuringAPauseIsPutBackAndRecorded() {
    World w = pausedAt20();
    w.weight = 35;
    w.weightsEditedByOthers = true;
    Decision d = w.step(PAUSING, "h2");
    Action.RecordDrift drift = d.actionsOf(Action.RecordDrift.class).get(0);
    assertEquals("35", drift.observed());
    assertEquals("20", drift.decided());
    assertTrue(d.actions().contains(new Action.SetWeight(20)), d.actions().toString());
    assertNull(
        d.status().verifiedWeight(), "35 is never reported as verified: we did not decide it");
    assertEquals(20, w.weight, "put back in the same pass");
    Decision next = w.step(PAUSING, "h2");
    assertEquals(20, next.status().verifiedWeight());
    assertTrue(next.actionsOf(Action.RecordDrift.class).isEmpty(), "recorded once");
  }

  @Test
  void aWeightWhosePuttingBackFailedIsPutBackOnTheNextPass() {
    World w = pausedAt20();
    w.weight = 50;
    w.weightsEditedByOthers = true;
    Decision d = w.step(PAUSING, "h2");
    assertTrue(d.actions().contains(new Action.SetWeight(20)));
    // The write lost a race with the gateway's status update (409): the route still says 50, and
    // the status written is the failure's, which no longer calls 20 verified.
    w.weight = 50;
    w.weightsEditedByOthers = true;
    RolloutStatus.Builder failed = d.status().toBuilder();
    failed.conditions =
        Conditions.with(
            failed.conditions,
            "ActionFailed",
            true,
            "Conflict",
            "setting canary weight 20 failed: HTTP 409",
            Fixtures.T0,
            1L);
    w.status = failed.build();
    assertNull(w.status.verifiedWeight());
    Decision again = w.step(PAUSING, "h2");
    assertTrue(
        again.actions().contains(new Action.SetWeight(20)), "tried again: " + again.actions());
    assertEquals(20, w.weight);
  }

  @Test
  void aSelectorChangedByHandIsPutBackAndRecorded() {
    World w = pausedAt20();
    w.canarySelects = "h1";
    w.selectorsEditedByOthers = true;
    Decision d = w.step(PAUSING, "h2");
    Action.RecordDrift drift = d.actionsOf(Action.RecordDrift.class).get(0);
    assertEquals("selector of Service demo-canary", drift.what());
    assertEquals("h1", drift.observed());
    assertEquals("h2", drift.decided());
    assertTrue(d.actions().contains(new Action.PointServices("h1", "h2")), d.actions().toString());
    assertEquals("h2", w.canarySelects);
    assertTrue(w.step(PAUSING, "h2").actionsOf(Action.RecordDrift.class).isEmpty());
  }

  /**
   * Services pointed by a Slipway that did not label them stay out of the controller's informer
   * (read from the API every pass) until pointed again: a settled Rollout points them once, as they
   * are, without calling it drift.
   */
  @Test
  void aSettledRolloutsUnlabelledServicesArePointedOnceAsTheyAre() {
    World w = new World();
    w.observeServices = true;
    assertEquals(RevisionState.Stable, w.settle(PAUSING, "h1", 10).state());
    w.servicesUnlabeled = true;
    Decision d = w.step(PAUSING, "h1");
    assertTrue(d.actions().contains(new Action.PointServices("h1", "h1")), d.actions().toString());
    assertTrue(d.actionsOf(Action.RecordDrift.class).isEmpty(), d.actions().toString());
    assertTrue(w.step(PAUSING, "h1").actionsOf(Action.PointServices.class).isEmpty());
  }

  @Test
  void ourOwnWriteWhoseStatusWasLostIsNotDrift() {
    // The controller wrote weight 60 and stopped before its status said so: the rules are ours.
    World w = pausedAt20();
    w.weight = 60;
    w.weightsEditedByOthers = false;
    Decision d = w.step(PAUSING, "h2");
    assertTrue(d.actionsOf(Action.RecordDrift.class).isEmpty(), d.actions().toString());
    assertTrue(
        d.actionsOf(Action.SetWeight.class).stream().noneMatch(s -> s.canaryWeight() == 20),
        "not put back to 20");
  }

  @Test
  void ourOwnMovesAreNotDrift() {
    World w = new World();
    w.observeServices = true;
    w.settle(PAUSING, "h1", 10);
    w.settle(PAUSING, "h2", 20);
    w.step(PAUSING, "h2", RequestAction.Resume);
    w.settle(PAUSING, "h2", 30);
    assertEquals(RevisionState.Stable, w.status.state());
    assertTrue(w.log.stream().noneMatch(Action.RecordDrift.class::isInstance), w.log.toString());
  }

  @Test
  void aFirstDeployCannotBeAbortedThereIsNothingToGoBackTo() {
    World w = new World();
    w.podsGetReady = false;
    w.step(PAUSING, "h1");
    Decision d = w.step(PAUSING, "h1", RequestAction.Abort);
    assertTrue(
        d.status().lastAction().result().startsWith("refused: no canary to abort"),
        d.status().lastAction().result());
    w.podsGetReady = true;
    assertEquals(RevisionState.Stable, w.settle(PAUSING, "h1", 10).state());
  }

  @Test
  void aRevisionRevertedMidCanaryAndAppliedAgainIsANewAttempt() {
    World w = pausedAt20();
    w.gatewayAccepts = false;
    w.step(PAUSING, "h1");
    assertEquals(
        RevisionState.Stable,
        w.status.state(),
        "reverted: Stable while the canary's traffic drains");
    assertEquals("h2", w.status.canaryRevision());
    Decision again = w.step(PAUSING, "h2");
    Action.RecordTransition pending = again.actionsOf(Action.RecordTransition.class).get(0);
    assertEquals(RevisionState.Pending, pending.to());
    assertEquals(
        2, pending.attempt(), "a new attempt, so its evidence goes to a record of its own");
    w.gatewayAccepts = true;
    w.step(PAUSING, "h2", RequestAction.Resume);
    RolloutStatus end = w.settle(PAUSING, "h2", 40);
    if (end.state() == RevisionState.Paused) {
      w.step(PAUSING, "h2", RequestAction.Resume);
      end = w.settle(PAUSING, "h2", 40);
    }
    assertEquals(RevisionState.Stable, end.state());
    assertEquals("h2", end.stableRevision());
  }
}
