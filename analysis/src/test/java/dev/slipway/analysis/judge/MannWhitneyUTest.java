package dev.slipway.analysis.judge;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Reference values from scipy.stats.mannwhitneyu(a, b, alternative='two-sided', method='asymptotic'). */
class MannWhitneyUTest {

  @Test
  void separatedSamples() {
    MannWhitneyU.Result r = MannWhitneyU.test(new double[] {1, 2, 3, 4, 5}, new double[] {6, 7, 8, 9, 10});
    assertEquals(0.0, r.u());
    assertEquals(0.0121858, r.pValue(), 1e-6); // scipy: 0.012185780355344813
  }

  @Test
  void withTies() {
    // scipy 1.x: statistic=8.5, pvalue=0.14381183202343256
    MannWhitneyU.Result r = MannWhitneyU.test(new double[] {1, 2, 2, 3, 4, 5}, new double[] {2, 3, 4, 5, 6, 6});
    assertEquals(8.5, r.u());
    assertEquals(0.1438118, r.pValue(), 1e-6);
  }

  @Test
  void identicalSamplesAreNotDifferent() {
    MannWhitneyU.Result r = MannWhitneyU.test(new double[] {1, 1, 1}, new double[] {1, 1, 1});
    assertEquals(1.0, r.pValue());
  }

  @Test
  void upperTailMatchesTheNormalTable() {
    assertEquals(0.5, MannWhitneyU.upperTail(0), 1e-7);
    assertEquals(0.0227501, MannWhitneyU.upperTail(2), 1e-6);
    assertEquals(0.0013499, MannWhitneyU.upperTail(3), 1e-6);
  }
}
