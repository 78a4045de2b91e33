package dev.slipway.analysis.judge;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * Reference values from scipy.stats.mannwhitneyu(a, b, alternative='two-sided') (method='auto':
 * exact for small samples without ties).
 */
class MannWhitneyUTest {

  @Test
  void separatedSmallSamplesGetTheExactPValue() {
    MannWhitneyU.Result r =
        MannWhitneyU.test(new double[] {1, 2, 3, 4, 5}, new double[] {6, 7, 8, 9, 10});
    assertEquals(0.0, r.u());
    // Exact: 2 of the C(10,5) = 252 orderings are this extreme. The normal approximation said
    // 0.0122.
    assertEquals(2.0 / 252, r.pValue(), 1e-12); // scipy: 0.007936507936507936
  }

  @Test
  void threeAgainstThreeCanNeverReachFivePercent() {
    // The smallest exact two-sided p-value with 3 samples a side is 2/20 = 0.1: the approximation's
    // 0.0495 was a false alarm.
    MannWhitneyU.Result r = MannWhitneyU.test(new double[] {1, 2, 3}, new double[] {4, 5, 6});
    assertEquals(0.1, r.pValue(), 1e-12);
  }

  @Test
  void withTiesTheCorrectedNormalApproximation() {
    // scipy 1.x: statistic=8.5, pvalue=0.14381183202343256
    MannWhitneyU.Result r =
        MannWhitneyU.test(new double[] {1, 2, 2, 3, 4, 5}, new double[] {2, 3, 4, 5, 6, 6});
    assertEquals(8.5, r.u());
    assertEquals(0.1438118, r.pValue(), 1e-6);
  }

  @Test
  void identicalSamplesAreNotDifferent() {
    MannWhitneyU.Result r = MannWhitneyU.test(new double[] {1, 1, 1}, new double[] {1, 1, 1});
    assertEquals(1.0, r.pValue());
  }
}
