package dev.slipway.controller.core;

import static dev.slipway.controller.core.Fixtures.spec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.api.v1alpha1.CanaryStep;
import dev.slipway.api.v1alpha1.CanaryStrategy;
import dev.slipway.api.v1alpha1.RequestAction;
import dev.slipway.api.v1alpha1.RevisionState;
import dev.slipway.api.v1alpha1.RolloutSpec;
import dev.slipway.api.v1alpha1.Strategy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** requireDistinctApprover: the author of a change cannot approve its manual gates. */
class ApprovalTest {
  static RolloutSpec requiring(RolloutSpec s) {
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
                c.scaleDownDelay(),
                true,
                c.steps())));
  }

  static final RolloutSpec GATED =
      requiring(spec(CanaryStep.weight(20), CanaryStep.pause(null), CanaryStep.weight(50)));

  @AfterEach
  void noAuthor() {
    Fixtures.Obs.author = null;
    Fixtures.Obs.bound = true;
  }

  static World pausedAtTheGate() {
    World w = RolloutDeciderTest.stableWorld(GATED);
    w.settle(GATED, "h2", 5);
    assertEquals(RevisionState.Paused, w.status.state());
    return w;
  }

  @Test
  void theAuthorCannotPromoteTheirOwnChange() {
    Fixtures.Obs.author = "Alice@example.com";
    World w = pausedAtTheGate();
    Decision d = w.step(GATED, "h2", RequestAction.Promote);
    assertEquals(RevisionState.Paused, d.status().state());
    assertEquals(
        "refused: requireDistinctApprover: alice@example.com authored this change and cannot approve it",
        d.status().lastAction().result());
    assertTrue(d.actionsOf(Action.Emit.class).get(0).warning(), "a Warning Event");
    d = w.step(GATED, "h2", RequestAction.Resume);
    assertTrue(
        d.status().lastAction().result().startsWith("refused: requireDistinctApprover"),
        "Resume of a step pause approves too");
  }

  @Test
  void anotherPersonMayAndAbortNeedsNoApproval() {
    Fixtures.Obs.author = "bob@example.com";
    World w = pausedAtTheGate();
    Decision d = w.step(GATED, "h2", RequestAction.Promote);
    assertEquals("promoted one step; now at step 3/3", d.status().lastAction().result());
    Fixtures.Obs.author = "alice@example.com";
    d = w.step(GATED, "h2", RequestAction.Abort);
    assertEquals(RevisionState.RolledBack, d.status().state(), "anyone may stop a change");
  }

  @Test
  void anUnknownAuthorIsRefusedNotWaved() {
    World w = pausedAtTheGate();
    Decision d = w.step(GATED, "h2", RequestAction.PromoteFull);
    assertEquals(
        "refused: requireDistinctApprover: the change names no author (annotation slipway.dev/author when its attempt opened)",
        d.status().lastAction().result());
  }

  /**
   * Without the admission policy anyone may type any requestedBy: it proves nothing, so it approves
   * nothing.
   */
  @Test
  void anApproverNotBoundToTheCallerIsRefused() {
    Fixtures.Obs.author = "bob@example.com";
    Fixtures.Obs.bound = false;
    World w = pausedAtTheGate();
    Decision d = w.step(GATED, "h2", RequestAction.Promote);
    assertEquals(RevisionState.Paused, d.status().state());
    assertTrue(
        d.status()
            .lastAction()
            .result()
            .startsWith(
                "refused: requireDistinctApprover: status.request.requestedBy is not bound to the caller"),
        d.status().lastAction().result());
  }
}
