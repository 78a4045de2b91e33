package dev.slipway.analysis.sequential;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;

/** The e-process alone: what evidence a look adds, and the guarantee that makes looking free. */
class RatioEProcessTest {
  static final Instant T = Instant.parse("2026-12-05T12:00:00Z");

  static Look look(long cn, long ce, long bn, long be) {
    return new Look(T, new Counts(cn, ce), new Counts(bn, be));
  }

  @Test
  void beforeAnyEventTheEValueIsOne() {
    RatioEProcess p = RatioEProcess.start(MixturePrior.DEFAULT);
    assertEquals(1.0, p.e(), 1e-12);
    p = p.after(look(100, 0, 400, 0));
    assertEquals(1.0, p.e(), 1e-12, "requests without events carry no evidence about the ratio");
    assertEquals(100, p.canary().trials());
  }

  @Test
  void eventsInProportionToTrafficLowerTheEvidenceAndCanaryEventsRaiseIt() {
    RatioEProcess fair = RatioEProcess.start(MixturePrior.DEFAULT).after(look(100, 1, 400, 4));
    RatioEProcess worse = RatioEProcess.start(MixturePrior.DEFAULT).after(look(100, 5, 400, 4));
    assertTrue(fair.e() < 1, "a canary exactly as bad as the baseline: " + fair.e());
    assertTrue(worse.e() > fair.e());
    RatioEProcess more = RatioEProcess.start(MixturePrior.DEFAULT).after(look(100, 6, 400, 4));
    assertTrue(more.e() > worse.e(), "monotone in the canary's events");
  }

  @Test
  void aClearRegressionCrossesWithinAFewLooks() {
    RatioEProcess p = RatioEProcess.start(MixturePrior.DEFAULT);
    int looks = 0;
    // 20 requests/s to the canary at 20% errors, 80 to the baseline at 0.5%.
    while (!p.crossed(0.05) && looks < 60) {
      p = p.after(look(20, 4, 80, looks % 3 == 0 ? 1 : 0));
      looks++;
    }
    assertTrue(looks <= 3, "crossed after " + looks + " looks, e-value " + p.e());
    assertTrue(
        p.likeliestRatio() >= 10, "the likeliest ratio says how much worse: " + p.likeliestRatio());
  }

  /**
   * The guarantee, as a property: canaries no worse than the baseline, traffic share changing at
   * every look (weights move, traffic ebbs), looked at every second for 20 minutes, cross 1/alpha
   * in at most alpha of runs. Seeded.
   */
  @Test
  void noWorseCanariesCrossAtMostAlphaOfTheTimeHoweverOftenTheyAreLookedAt() {
    SplittableRandom rng = new SplittableRandom(7);
    int runs = 1000;
    int crossed = 0;
    for (int run = 0; run < runs; run++) {
      RatioEProcess p = RatioEProcess.start(MixturePrior.DEFAULT);
      double errorRate = 0.002 + rng.nextDouble() * 0.02;
      for (int t = 0; t < 1200 && !p.crossed(0.05); t++) {
        double share = 0.05 + rng.nextDouble() * 0.9;
        long n = 20 + rng.nextInt(200);
        long cn = Math.round(n * share);
        long bn = n - cn;
        p = p.after(look(cn, binomial(rng, cn, errorRate), bn, binomial(rng, bn, errorRate)));
      }
      if (p.crossed(0.05)) crossed++;
    }
    double rate = (double) crossed / runs;
    System.out.printf(
        "A/A, share and rate varying, a look per second for 20 min: %d of %d crossed (%.1f%%, alpha 5%%)%n",
        crossed, runs, rate * 100);
    assertTrue(rate <= 0.05 + 3 * Math.sqrt(0.05 * 0.95 / runs), "false crossings " + rate);
  }

  @Test
  void recomputationIsBitForBit() {
    RatioEProcess a = RatioEProcess.start(MixturePrior.DEFAULT);
    RatioEProcess b = RatioEProcess.start(MixturePrior.DEFAULT);
    for (int i = 0; i < 50; i++) {
      a = a.after(look(37 + i, i % 4, 150, i % 7));
      b = b.after(look(37 + i, i % 4, 150, i % 7));
    }
    assertEquals(Double.doubleToLongBits(a.logE()), Double.doubleToLongBits(b.logE()));
    assertFalse(Double.isNaN(a.logE()));
  }

  @Test
  void countsAreCheckedAtTheDoor() {
    Assertions.assertThrows(IllegalArgumentException.class, () -> new Counts(5, 6));
    Assertions.assertThrows(IllegalArgumentException.class, () -> new Counts(-1, 0));
  }

  static long binomial(SplittableRandom rng, long n, double p) {
    long k = 0;
    for (long i = 0; i < n; i++) if (rng.nextDouble() < p) k++;
    return k;
  }
}
