package dev.slipway.e2e;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The lanes' gates hang on the launcher telling SuitePlan what runs: were the listener not
 * registered, the install would start beside Traefik's adoption again without a word (ci45).
 */
class SuitePlanTest {
  @Test
  void theLauncherNamesTheClassesOfTheRun() {
    assertTrue(SuitePlan.runs(SuitePlanTest.class.getName()), "SuitePlan saw no test plan");
    assertFalse(SuitePlan.runs("dev.slipway.e2e.NoSuchTest"));
  }

  @Test
  void aGateForAClassNotInTheRunDoesNotWait() {
    if (!SuitePlan.runs("dev.slipway.e2e.gateway.TraefikE2ETest")) {
      assertTrue(Lanes.awaitAdoption(Duration.ofMinutes(1)).isZero());
    }
  }
}
