package dev.slipway.controller.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.slipway.api.v1alpha1.SetCanaryScale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CanaryMathTest {
  @ParameterizedTest
  @CsvSource({
    "4,0,1", "4,20,1", "4,25,1", "4,26,2", "4,50,2", "4,100,4", "10,33,4", "1,1,1", "0,50,1"
  })
  void podsFollowWeightRoundedUpWithAtLeastOne(int replicas, int weight, int expected) {
    assertEquals(expected, CanaryMath.canaryReplicas(replicas, weight, null));
  }

  @Test
  void overridesWin() {
    assertEquals(3, CanaryMath.canaryReplicas(4, 10, new SetCanaryScale(3, null, null)));
    assertEquals(2, CanaryMath.canaryReplicas(4, 100, new SetCanaryScale(null, 50, null)));
  }
}
