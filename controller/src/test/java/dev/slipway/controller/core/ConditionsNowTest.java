package dev.slipway.controller.core;

import static dev.slipway.controller.core.Fixtures.spec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.slipway.api.v1alpha1.CanaryStep;
import dev.slipway.api.v1alpha1.RequestAction;
import dev.slipway.api.v1alpha1.RevisionState;
import dev.slipway.api.v1alpha1.RolloutSpec;
import org.junit.jupiter.api.Test;

/**
 * A Paused condition while paused, and Progressing's message always the current one, never an
 * earlier step's.
 */
class ConditionsNowTest {
  static final RolloutSpec SPEC =
      spec(CanaryStep.weight(20), CanaryStep.pause(null), CanaryStep.weight(50));

  @Test
  void pausedHasItsConditionAndProgressingSaysWhatIsTrueNow() {
    World w = RolloutDeciderTest.stableWorld(SPEC);
    w.settle(SPEC, "h2", 5);
    assertEquals(RevisionState.Paused, w.status.state());
    var paused = RolloutDeciderTest.cond(w.status, "Paused");
    assertEquals("True", paused.status());
    assertEquals("PauseStep", paused.reason());
    var progressing = RolloutDeciderTest.cond(w.status, "Progressing");
    assertEquals("Paused", progressing.reason());
    assertEquals(
        w.status.message(),
        progressing.message(),
        "the message of now, not of the weight step before");

    w.step(SPEC, "h2", RequestAction.Resume);
    w.settle(SPEC, "h2", 5);
    assertNull(
        w.status.conditionsOrEmpty().stream()
            .filter(c -> c.type().equals("Paused"))
            .findFirst()
            .orElse(null),
        "gone once resumed");
    assertEquals(w.status.message(), RolloutDeciderTest.cond(w.status, "Progressing").message());
  }

  @Test
  void aRollbackSaysSoInProgressing() {
    World w = RolloutDeciderTest.stableWorld(SPEC);
    w.settle(SPEC, "h2", 5);
    w.step(SPEC, "h2", RequestAction.Abort);
    w.settle(SPEC, "h2", 5);
    var progressing = RolloutDeciderTest.cond(w.status, "Progressing");
    assertEquals("False", progressing.status());
    assertEquals("RolledBack", progressing.reason());
    assertEquals(w.status.message(), progressing.message());
  }
}
