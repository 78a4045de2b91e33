package dev.slipway.analysis.spec;

import java.time.Duration;
import java.util.Objects;

/**
 * The sequential judge's settings for one metric: which counts it compares (errors, latency, or
 * both), the false-rollback probability it may spend over the whole canary ({@code alpha}), and the
 * smallest regression it must be able to see ({@code minDetectableEffect}, at {@code power}) before
 * a step may pass. The canary is looked at every schedule interval until {@code exposure} has
 * passed; a crossing at any look fails it at once.
 *
 * @param errors the 5xx test, or null
 * @param latency the slow-response test, or null
 * @param exposure how long the canary is observed before it may pass
 * @param planningWindow how far back before the run the stable's traffic is read for planning (the
 *     latency threshold, the expected rates)
 * @param counts where a hosted provider's counts come from (issue 30); null when they are the
 *     profile's Prometheus counters
 */
public record SequentialSpec(
    double alpha,
    double power,
    ErrorTest errors,
    LatencyTest latency,
    Duration exposure,
    Duration planningWindow,
    CountQueries counts) {
  public static final double DEFAULT_ALPHA = 0.05;
  public static final double DEFAULT_POWER = 0.8;
  public static final Duration DEFAULT_PLANNING_WINDOW = Duration.ofMinutes(10);

  public SequentialSpec {
    if (!(alpha > 0 && alpha <= 0.5))
      throw new IllegalArgumentException("alpha must be in (0, 0.5]: " + alpha);
    if (!(power > 0 && power < 1))
      throw new IllegalArgumentException("power must be in (0, 1): " + power);
    if (errors == null && latency == null)
      throw new IllegalArgumentException("a sequential metric needs errors, latency, or both");
    Objects.requireNonNull(exposure, "exposure");
    Objects.requireNonNull(planningWindow, "planningWindow");
    if (exposure.isNegative() || exposure.isZero())
      throw new IllegalArgumentException("exposure must be positive");
    if (planningWindow.isNegative() || planningWindow.isZero())
      throw new IllegalArgumentException("planningWindow must be positive");
    if (counts != null && (latency != null || errors == null)) {
      // The latency test plans its threshold from a histogram's buckets, which only a Prometheus
      // gives; a provider's totals carry no bucket.
      throw new IllegalArgumentException(
          "with counts queries the sequential judge runs the errors test only");
    }
  }

  /** Settings whose counts are the profile's Prometheus counters. */
  public SequentialSpec(
      double alpha,
      double power,
      ErrorTest errors,
      LatencyTest latency,
      Duration exposure,
      Duration planningWindow) {
    this(alpha, power, errors, latency, exposure, planningWindow, null);
  }

  /**
   * Counts from a provider that totals events over an interval (Datadog, New Relic): two queries in
   * its language, each rendered once per side ({{args.revision}} and {{args.service}} name the
   * side), each asked for the events between two looks. Every look's interval ends {@code
   * ingestDelay} before the look, so that points the provider has not yet ingested are not missed
   * (they would never be counted: the next look starts where this one ended).
   *
   * @param requests the side's requests in the interval
   * @param errors the side's failed requests in the interval (no data reads as none)
   */
  public record CountQueries(String requests, String errors, Duration ingestDelay) {
    public CountQueries {
      Objects.requireNonNull(requests, "requests");
      Objects.requireNonNull(errors, "errors");
      Objects.requireNonNull(ingestDelay, "ingestDelay");
      if (requests.isBlank() || errors.isBlank())
        throw new IllegalArgumentException("counts.requests and counts.errors are queries");
      if (ingestDelay.isNegative())
        throw new IllegalArgumentException("counts.ingestDelay cannot be negative");
    }
  }

  /** Compare the canary's share of 5xx responses with the baseline's. */
  public record ErrorTest(double minDetectableEffect) {
    public ErrorTest {
      if (!(minDetectableEffect > 0 && minDetectableEffect < 1)) {
        throw new IllegalArgumentException(
            "errors.minDetectableEffect is an increase in the error share, in (0, 1): "
                + minDetectableEffect);
      }
    }
  }

  /**
   * Compare the canary's share of responses slower than the baseline's {@code quantile} (a bucket
   * bound of the histogram, fixed from the stable's traffic before the run) with the baseline's.
   * {@code minDetectableEffect} is a relative slow-down of that quantile (0.2 = 20% slower).
   */
  public record LatencyTest(double quantile, double minDetectableEffect) {
    public static final double DEFAULT_QUANTILE = 0.99;

    public LatencyTest {
      if (!(quantile > 0.5 && quantile < 1))
        throw new IllegalArgumentException("latency.quantile must be in (0.5, 1): " + quantile);
      if (!(minDetectableEffect > 0))
        throw new IllegalArgumentException(
            "latency.minDetectableEffect must be positive: " + minDetectableEffect);
    }
  }
}
