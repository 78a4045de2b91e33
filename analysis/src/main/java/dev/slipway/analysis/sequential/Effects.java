package dev.slipway.analysis.sequential;

/**
 * The smallest regression a planned or observed exposure can see at the stated power: what a step
 * could have detected, said in the status, in `kubectl slipway get` and `lint`, and in an
 * Inconclusive verdict. Pure; a bisection over {@link Power}, which grows with the effect.
 */
public final class Effects {
  private Effects() {}

  /**
   * The smallest increase of the error share (0.005 = +0.5 percentage points) with at least {@code
   * power} to be detected; +Inf when not even a canary failing every request would be.
   */
  public static double errors(
      double canaryTrials,
      double baselineTrials,
      double baselineRate,
      double alpha,
      double power,
      MixturePrior prior) {
    double base = Math.max(0, baselineRate);
    double room = 1 - base;
    if (room <= 0 || Power.of(canaryTrials, baselineTrials, base, 1, alpha, prior) < power) {
      return Double.POSITIVE_INFINITY;
    }
    double lo = 0;
    double hi = room;
    for (int i = 0; i < 40 && hi - lo > 1e-6; i++) {
      double mid = (lo + hi) / 2;
      if (Power.of(canaryTrials, baselineTrials, base, base + mid, alpha, prior) >= power) {
        hi = mid;
      } else {
        lo = mid;
      }
    }
    return hi;
  }

  /**
   * The smallest factor by which the canary's slow share must exceed the baseline's ({@code
   * baselineShare}) to be detected with at least {@code power}; +Inf when even a canary whose every
   * response is slow would not be.
   */
  public static double slowShareRatio(
      double canaryTrials,
      double baselineTrials,
      double baselineShare,
      double alpha,
      double power,
      MixturePrior prior) {
    if (!(baselineShare > 0)
        || Power.of(canaryTrials, baselineTrials, baselineShare, 1, alpha, prior) < power) {
      return Double.POSITIVE_INFINITY;
    }
    double lo = 1;
    double hi = 1 / baselineShare;
    for (int i = 0; i < 50 && hi / lo > 1.0001; i++) {
      double mid = Math.sqrt(lo * hi);
      if (Power.of(
              canaryTrials,
              baselineTrials,
              baselineShare,
              Math.min(1, baselineShare * mid),
              alpha,
              prior)
          >= power) {
        hi = mid;
      } else {
        lo = mid;
      }
    }
    return hi;
  }
}
