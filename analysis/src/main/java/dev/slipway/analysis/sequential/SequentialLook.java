package dev.slipway.analysis.sequential;

import java.time.Instant;
import java.util.Objects;

/**
 * What one look of a sequential metric saw, as the evidence keeps it: the interval its counts
 * cover, the counts per side for each test the metric runs (null for a test it does not run), the
 * latency threshold it counted against, and the e-values after this look. From a metric's looks
 * alone the verdict is recomputed ({@link SequentialJudge}); the e-values are kept for the reader,
 * and checked against the recomputation.
 *
 * @param errorsCanary the canary's requests and 5xx responses in the interval
 * @param slowCanary the canary's responses (histogram count) and those slower than the threshold
 * @param latency the threshold the slow counts are taken against (fixed for the run)
 */
public record SequentialLook(
    Instant from,
    Instant to,
    Counts errorsCanary,
    Counts errorsBaseline,
    Counts slowCanary,
    Counts slowBaseline,
    Histogram.LatencyPlan latency,
    Double errorsLogE,
    Double latencyLogE) {

  public SequentialLook {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    if ((errorsCanary == null) != (errorsBaseline == null)
        || (slowCanary == null) != (slowBaseline == null)) {
      throw new IllegalArgumentException("a test's counts come for both sides or neither");
    }
  }

  public Look errors() {
    return errorsCanary == null ? null : new Look(to, errorsCanary, errorsBaseline);
  }

  public Look slow() {
    return slowCanary == null ? null : new Look(to, slowCanary, slowBaseline);
  }

  /** The same look with the e-values after it filled in. */
  public SequentialLook withLogE(Double errors, Double latency) {
    return new SequentialLook(
        from,
        to,
        errorsCanary,
        errorsBaseline,
        slowCanary,
        slowBaseline,
        this.latency,
        errors,
        latency);
  }
}
