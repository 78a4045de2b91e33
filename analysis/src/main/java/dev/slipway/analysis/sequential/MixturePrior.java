package dev.slipway.analysis.sequential;

import java.util.Arrays;
import java.util.Locale;

/**
 * The alternatives the e-process bets on: canary-to-baseline rate ratios {@code r_k > 1}, each with
 * a prior weight {@code w_k} (the weights sum to 1). A discrete mixture of likelihood ratios is a
 * martingale under the null like each of its parts, so any fixed prior keeps the guarantee; the
 * prior only decides which regressions are found fastest. The default spreads its mass over ratios
 * from 1.1 to 1000, leaning towards the small ratios that need the most evidence (a large
 * regression piles up evidence so fast that its smaller weight costs it a fraction of a second).
 * Fixed before any data is seen, and recorded with each verdict, so a verdict can be recomputed.
 */
// The arrays are cloned in and out, and equals/hashCode compare their contents.
@SuppressWarnings("ArrayRecordComponent")
public record MixturePrior(double[] ratios, double[] weights) {
  /**
   * Ratios from 1.1 to 1000; each weight 0.7 of the one two steps below, so small regressions weigh
   * most. Chosen with DecisionQualityBenchmark: against equal weights it detects more of the
   * smallest regressions (0.5% to 0.8% errors), against a steeper fall it decides a second sooner
   * on large ones, and every choice keeps false rollbacks under alpha.
   */
  public static final MixturePrior DEFAULT =
      geometric(
          new double[] {1.1, 1.2, 1.35, 1.5, 1.75, 2, 2.5, 3, 4, 6, 10, 20, 50, 200, 1000}, 0.7);

  public MixturePrior {
    if (ratios.length == 0 || ratios.length != weights.length) {
      throw new IllegalArgumentException("a prior needs as many weights as ratios, at least one");
    }
    double sum = 0;
    for (int k = 0; k < ratios.length; k++) {
      if (!(ratios[k] > 1) || Double.isInfinite(ratios[k]))
        throw new IllegalArgumentException("ratios must be finite and above 1: " + ratios[k]);
      if (!(weights[k] > 0))
        throw new IllegalArgumentException("weights must be positive: " + weights[k]);
      sum += weights[k];
    }
    if (Math.abs(sum - 1) > 1e-9)
      throw new IllegalArgumentException("weights must sum to 1, not " + sum);
    ratios = ratios.clone();
    weights = weights.clone();
  }

  /**
   * Weights falling by {@code decay} per two steps up the ratio list, normalised (1 for equal
   * weights).
   */
  public static MixturePrior geometric(double[] ratios, double decay) {
    double[] w = new double[ratios.length];
    double sum = 0;
    for (int k = 0; k < w.length; k++) {
      w[k] = Math.pow(decay, k / 2.0);
      sum += w[k];
    }
    for (int k = 0; k < w.length; k++) w[k] /= sum;
    return new MixturePrior(ratios, w);
  }

  public int size() {
    return ratios.length;
  }

  public double ratio(int k) {
    return ratios[k];
  }

  public double weight(int k) {
    return weights[k];
  }

  @Override
  public double[] ratios() {
    return ratios.clone();
  }

  @Override
  public double[] weights() {
    return weights.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MixturePrior p
        && Arrays.equals(ratios, p.ratios)
        && Arrays.equals(weights, p.weights);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(ratios) + Arrays.hashCode(weights);
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder("mixture over rate ratios");
    for (int k = 0; k < ratios.length; k++) {
      b.append(k == 0 ? " " : ", ")
          .append(String.format(Locale.ROOT, "%g:%.4f", ratios[k], weights[k]));
    }
    return b.toString();
  }
}
