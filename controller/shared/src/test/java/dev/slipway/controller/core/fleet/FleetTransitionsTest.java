package dev.slipway.controller.core.fleet;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.api.v1alpha1.ReleasePhase;
import dev.slipway.api.v1alpha1.WaveStatus;
import org.junit.jupiter.api.Test;

class FleetTransitionsTest {
  @Test
  void finalPhasesAndPassedWavesNeverMove() {
    for (ReleasePhase p : ReleasePhase.values()) {
      for (ReleasePhase q : ReleasePhase.values()) {
        if (p.isFinal() && p != q) assertFalse(FleetTransitions.isLegal(p, q), p + " -> " + q);
      }
    }
    assertFalse(FleetTransitions.isLegal(WaveStatus.PASSED, WaveStatus.OPEN));
    assertFalse(FleetTransitions.isLegal(WaveStatus.HALTED, WaveStatus.OPEN));
    assertFalse(FleetTransitions.isLegal(WaveStatus.WAITING, WaveStatus.PASSED));
    assertTrue(FleetTransitions.isLegal(WaveStatus.BAKING, WaveStatus.OPEN));
    assertThrows(
        IllegalStateException.class,
        () -> FleetTransitions.phase(ReleasePhase.Halted, ReleasePhase.Progressing));
  }
}
