package dev.slipway.analysis.sequential;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.commons.statistics.distribution.NormalDistribution;
import org.junit.jupiter.api.Test;

/**
 * Planning: power grows with the effect and the exposure, and the smallest detectable effect is its
 * inverse.
 */
class PowerTest {
  static final MixturePrior P = MixturePrior.DEFAULT;

  @Test
  void powerGrowsWithEffectAndExposure() {
    double small = Power.of(6_000, 24_000, 0.005, 0.008, 0.05, P);
    double larger = Power.of(6_000, 24_000, 0.005, 0.02, 0.05, P);
    double longer = Power.of(24_000, 96_000, 0.005, 0.008, 0.05, P);
    assertTrue(small < larger, small + " < " + larger);
    assertTrue(small < longer, small + " < " + longer);
    assertEquals(0, Power.of(6_000, 24_000, 0.005, 0.005, 0.05, P), "no effect, no power");
    assertEquals(0, Power.of(0, 24_000, 0.005, 0.5, 0.05, P), "no canary traffic, no power");
  }

  @Test
  void theExactSumAndTheNormalApproximationAgreeWhereBothApply() {
    double a = Math.log(4) - Math.log(4 * 0.2 + 0.8);
    double c = Math.log(4 * 0.2 + 0.8);
    double exact = Power.tail(a, c, 5, 3000, 9000);
    double mean = a * 3000 - c * 9000;
    double sd = Math.sqrt(a * a * 3000 + c * c * 9000);
    double normal = NormalDistribution.of(mean, sd).survivalProbability(5);
    assertEquals(normal, exact, 0.02);
  }

  @Test
  void theSmallestDetectableEffectHasThePowerAndASmallerOneDoesNot() {
    double mde = Effects.errors(3_000, 12_000, 0.005, 0.05, 0.8, P);
    System.out.printf(
        "3,000 canary and 12,000 baseline requests at 0.5%% errors: +%.2f pp detectable at 80%% power%n",
        mde * 100);
    assertTrue(Power.of(3_000, 12_000, 0.005, 0.005 + mde, 0.05, P) >= 0.8);
    assertTrue(Power.of(3_000, 12_000, 0.005, 0.005 + mde * 0.95, 0.05, P) < 0.8);
    assertTrue(
        Effects.errors(30_000, 120_000, 0.005, 0.05, 0.8, P) < mde,
        "ten times the traffic sees a smaller effect");
    assertEquals(
        Double.POSITIVE_INFINITY,
        Effects.errors(1, 4, 0.005, 0.05, 0.8, P),
        "five requests can show nothing");
  }

  @Test
  void slowShareRatioIsTheLatencyTestsInverse() {
    double r = Effects.slowShareRatio(6_000, 24_000, 0.01, 0.05, 0.8, P);
    assertTrue(r > 1 && r < 5, "ratio " + r);
    assertTrue(Power.of(6_000, 24_000, 0.01, 0.01 * r, 0.05, P) >= 0.8);
  }
}
