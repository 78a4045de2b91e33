package dev.slipway.analysis.spec;

import java.util.Objects;

/**
 * Compare the canary with the stable revision over the same window. The canary may be worse by at
 * most {@code maxAbsoluteDegradation} (in the metric's unit) and at most {@code
 * maxRelativeDegradation} (a fraction of the stable value); an absent allowance is not checked.
 */
public record Baseline(
    Better better,
    Double maxAbsoluteDegradation,
    Double maxRelativeDegradation,
    MannWhitney mannWhitney) {
  public Baseline {
    Objects.requireNonNull(better, "better");
    if (maxAbsoluteDegradation != null && maxAbsoluteDegradation < 0) {
      throw new IllegalArgumentException("maxAbsoluteDegradation must not be negative");
    }
    if (maxRelativeDegradation != null && maxRelativeDegradation < 0) {
      throw new IllegalArgumentException("maxRelativeDegradation must not be negative");
    }
  }

  /** How much worse the canary is than the stable, in the metric's unit; negative when better. */
  public double degradation(double canary, double stable) {
    return better == Better.HIGHER ? stable - canary : canary - stable;
  }
}
