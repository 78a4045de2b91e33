package dev.slipway.e2e.bench.decision;

import dev.slipway.analysis.sequential.Counts;
import dev.slipway.analysis.sequential.Look;
import dev.slipway.analysis.sequential.MixturePrior;
import dev.slipway.analysis.sequential.RatioEProcess;
import java.time.Instant;

/**
 * Slipway's sequential judge, exactly as the controller runs it ({@link RatioEProcess}): a look
 * every second (the scrape interval), rolled back at the first look whose e-value reaches 1/alpha.
 * For latency, the events are responses above the threshold bucket fixed before the run.
 */
final class SequentialRule implements Rule {
  private final double alpha;
  private final int slowFromBucket;
  private RatioEProcess p;
  private int at = -1;

  /**
   * @param slowFromBucket the first bucket counted as slow, or -1 for the errors test
   */
  SequentialRule(MixturePrior prior, double alpha, int slowFromBucket) {
    this.alpha = alpha;
    this.slowFromBucket = slowFromBucket;
    this.p = RatioEProcess.start(prior);
  }

  @Override
  public String name() {
    return "Slipway sequential (alpha " + alpha + ", a look per second)";
  }

  @Override
  public void after(int t, History canary, History baseline) {
    if (at >= 0) return;
    p =
        p.after(
            new Look(
                Instant.ofEpochSecond(t), counts(canary.at(t - 1)), counts(baseline.at(t - 1))));
    if (p.crossed(alpha)) at = t;
  }

  private Counts counts(Side.Second s) {
    if (slowFromBucket < 0) return new Counts(s.requests(), s.errors());
    long slow = 0;
    for (int k = slowFromBucket; k < s.buckets().length; k++) slow += s.buckets()[k];
    return new Counts(s.requests(), slow);
  }

  @Override
  public int rolledBackAt() {
    return at;
  }
}
