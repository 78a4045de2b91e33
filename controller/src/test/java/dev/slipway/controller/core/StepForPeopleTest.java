package dev.slipway.controller.core;

import static dev.slipway.controller.core.Fixtures.spec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.slipway.api.v1alpha1.CanaryStep;
import dev.slipway.api.v1alpha1.RequestAction;
import dev.slipway.api.v1alpha1.RevisionState;
import dev.slipway.api.v1alpha1.RolloutSpec;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * status.step (the printer column) counts from 1, like every message; currentStepIndex stays
 * 0-based.
 */
class StepForPeopleTest {
  static final RolloutSpec SPEC =
      spec(CanaryStep.weight(20), CanaryStep.pause(null), CanaryStep.weight(50));

  @Test
  void stepsCountFromOneAndVanishOnceStable() {
    World w = RolloutDeciderTest.stableWorld(SPEC);
    assertNull(w.status.step());
    Set<String> seen = new LinkedHashSet<>();
    w.step(SPEC, "h2");
    seen.add(w.status.step());
    w.settle(SPEC, "h2", 10);
    assertEquals(RevisionState.Paused, w.status.state());
    assertEquals("2/3", w.status.step());
    assertEquals(1, w.status.currentStepIndex());
    assertEquals(true, w.status.message().contains("step 2/3"), w.status.message());
    seen.add(w.status.step());
    w.step(SPEC, "h2", RequestAction.Resume);
    for (int i = 0; i < 10 && w.status.state() != RevisionState.Stable; i++) {
      seen.add(w.status.step());
      w.step(SPEC, "h2");
    }
    seen.remove(null);
    assertEquals(List.of("1/3", "2/3", "3/3"), List.copyOf(seen));
    assertEquals(RevisionState.Stable, w.status.state());
    assertNull(w.status.step());
  }
}
