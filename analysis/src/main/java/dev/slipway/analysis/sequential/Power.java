package dev.slipway.analysis.sequential;

import org.apache.commons.statistics.distribution.NormalDistribution;
import org.apache.commons.statistics.distribution.PoissonDistribution;

/**
 * How likely the ratio test is to see a given regression, planned from expected counts before the
 * data: the power Spotify's "Choosing a Sequential Testing Framework" (2023) asks for before a test
 * is trusted to pass anything. Pure.
 *
 * <p>Counts are planned as Poisson: the canary's events {@code X ~ Poisson(n_c p_c)}, the
 * baseline's {@code Y ~ Poisson(n_b p_b)}. The mixture's e-value is at least {@code w_k} times the
 * likelihood ratio of any one alternative {@code r_k}, whose log at the end of the exposure is
 * {@code a_k X - c_k Y} with {@code c_k = ln(r_k q + 1 - q)} and {@code a_k = ln r_k - c_k}. So the
 * probability that {@code a_k X - c_k Y >= ln(1/(alpha w_k))} for the best {@code k} is a lower
 * bound on the power: it ignores crossings before the end and the other alternatives' share. It is
 * computed exactly (a sum over Y of Poisson tails of X) and is deliberately conservative: a step
 * passes only when even this bound reaches the stated power.
 */
public final class Power {
  /** Above this many expected baseline events the exact sum gives way to a normal approximation. */
  static final double EXACT_LIMIT = 50_000;

  private Power() {}

  /**
   * The chance the sequential test crosses its bar over the exposure, under the regression.
   *
   * @param canaryTrials requests the canary serves over the exposure
   * @param baselineTrials requests the baseline serves over the same exposure
   * @param baselineRate the baseline's event probability per request
   * @param canaryRate the canary's event probability per request under the regression
   */
  public static double of(
      double canaryTrials,
      double baselineTrials,
      double baselineRate,
      double canaryRate,
      double alpha,
      MixturePrior prior) {
    if (canaryTrials <= 0 || baselineTrials <= 0 || canaryRate <= baselineRate) {
      return 0;
    }
    double q = canaryTrials / (canaryTrials + baselineTrials);
    double mx = canaryTrials * canaryRate;
    double my = baselineTrials * baselineRate;
    double best = 0;
    for (int k = 0; k < prior.size(); k++) {
      double r = prior.ratio(k);
      double c = StrictMath.log(r * q + 1 - q);
      double a = StrictMath.log(r) - c;
      double t = StrictMath.log(1 / alpha) - StrictMath.log(prior.weight(k));
      best = Math.max(best, tail(a, c, t, mx, my));
    }
    return best;
  }

  /** P(aX - cY >= t) for independent X ~ Poisson(mx), Y ~ Poisson(my), with a, c > 0. */
  static double tail(double a, double c, double t, double mx, double my) {
    if (mx + my > EXACT_LIMIT) {
      double mean = a * mx - c * my;
      double sd = Math.sqrt(a * a * mx + c * c * my);
      return NormalDistribution.of(mean, sd).survivalProbability(t);
    }
    PoissonDistribution x = mx > 0 ? PoissonDistribution.of(mx) : null;
    if (my <= 0) {
      return xAtLeast(x, Math.ceil(t / a));
    }
    PoissonDistribution y = PoissonDistribution.of(my);
    int lo = (int) Math.max(0, Math.floor(my - 12 * Math.sqrt(my) - 10));
    int hi = (int) Math.ceil(my + 12 * Math.sqrt(my) + 10);
    double p = 0;
    for (int j = lo; j <= hi; j++) {
      double py = y.probability(j);
      if (py == 0) continue;
      p += py * xAtLeast(x, Math.ceil((t + c * j) / a));
    }
    return Math.min(1, p);
  }

  private static double xAtLeast(PoissonDistribution x, double k) {
    if (k <= 0) return 1;
    if (x == null) return 0;
    if (k > Integer.MAX_VALUE) return 0;
    return x.survivalProbability((int) k - 1);
  }
}
