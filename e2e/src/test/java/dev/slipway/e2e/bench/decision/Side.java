package dev.slipway.e2e.bench.decision;

import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.DiscreteSampler;
import org.apache.commons.rng.sampling.distribution.PoissonSampler;

/**
 * One side of a simulated canary (the canary or the baseline): requests arrive as a Poisson
 * process, each fails with {@code errorRate}, and each response falls into a latency bucket with
 * the bucket's probability, so every second's counts are independent Poisson draws. Pure given its
 * random source.
 */
final class Side {
  private final DiscreteSampler ok;
  private final DiscreteSampler errors;
  private final DiscreteSampler[] buckets;

  /**
   * @param bucketShare each latency bucket's share of responses (non-cumulative), or null for an
   *     errors-only cell
   */
  Side(UniformRandomProvider rng, double rps, double errorRate, double[] bucketShare) {
    this.ok = poisson(rng, rps * (1 - errorRate));
    this.errors = poisson(rng, rps * errorRate);
    if (bucketShare == null) {
      this.buckets = null;
    } else {
      this.buckets = new DiscreteSampler[bucketShare.length];
      for (int i = 0; i < bucketShare.length; i++)
        this.buckets[i] = poisson(rng, rps * bucketShare[i]);
    }
  }

  /** The counts of one second. */
  Second next() {
    if (buckets != null) {
      long[] b = new long[buckets.length];
      long n = 0;
      for (int i = 0; i < b.length; i++) {
        b[i] = buckets[i].sample();
        n += b[i];
      }
      // Latency cells carry no errors: the requests are the histogram's count.
      return new Second(n, 0, b);
    }
    long e = errors.sample();
    return new Second(ok.sample() + e, e, null);
  }

  private static DiscreteSampler poisson(UniformRandomProvider rng, double mean) {
    return mean <= 0 ? () -> 0 : PoissonSampler.of(rng, mean);
  }

  /** One second's requests, errors, and per-bucket response counts (null in errors-only cells). */
  record Second(long requests, long errors, long[] buckets) {}
}
