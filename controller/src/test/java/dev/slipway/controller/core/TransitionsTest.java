package dev.slipway.controller.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.api.v1alpha1.Phase;
import dev.slipway.api.v1alpha1.RevisionState;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class TransitionsTest {

  @ParameterizedTest
  @CsvSource({
    "Pending,Ready,true",
    "Pending,Stable,true",
    "Pending,Canary,false",
    "Pending,Promoted,false",
    "Ready,Canary,true",
    "Ready,Stable,false",
    "Canary,Paused,true",
    "Canary,Promoted,true",
    "Canary,RolledBack,true",
    "Canary,Superseded,true",
    "Canary,Stable,false",
    "Paused,Canary,true",
    "Paused,Promoted,true",
    "Paused,Stable,false",
    "Promoted,Stable,true",
    "Promoted,Canary,false",
    "Stable,Superseded,true",
    "Stable,Canary,false",
    "Stable,RolledBack,false",
    "RolledBack,Pending,true",
    "RolledBack,Canary,false",
    "RolledBack,Stable,false",
    "Superseded,Pending,false",
    "Superseded,Stable,false"
  })
  void table(RevisionState from, RevisionState to, boolean legal) {
    assertEquals(legal, Transitions.isLegal(from, to));
    if (!legal) {
      assertThrows(Transitions.IllegalTransitionException.class, () -> Transitions.check(from, to));
    }
  }

  @ParameterizedTest
  @EnumSource(RevisionState.class)
  void aRevisionIsBornPendingOnly(RevisionState to) {
    assertEquals(to == RevisionState.Pending, Transitions.isLegal(null, to));
  }

  @ParameterizedTest
  @EnumSource(RevisionState.class)
  void noStateLoopsOntoItself(RevisionState s) {
    assertFalse(Transitions.isLegal(s, s));
  }

  @ParameterizedTest
  @CsvSource({
    "Pending,false,Progressing", "Ready,false,Progressing", "Canary,false,Progressing",
        "Paused,false,Paused",
    "Promoted,false,Progressing", "Stable,false,Healthy", "Stable,true,Progressing",
        "RolledBack,false,Degraded",
    "Superseded,false,Progressing"
  })
  void phasesMapOntoArgoCdHealth(RevisionState s, boolean settling, Phase phase) {
    assertEquals(phase, Phases.of(s, settling));
  }

  @ParameterizedTest
  @EnumSource(RevisionState.class)
  void everyStateButSupersededHasAWayOut(RevisionState s) {
    assertTrue(s == RevisionState.Superseded || !Transitions.from(s).isEmpty());
  }
}
