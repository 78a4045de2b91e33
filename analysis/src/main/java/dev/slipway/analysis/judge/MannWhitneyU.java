package dev.slipway.analysis.judge;

import java.util.Arrays;

/**
 * Mann-Whitney U test, two-sided, by the normal approximation with tie and continuity
 * corrections (as scipy's method='asymptotic'). Pure; used to compare canary and stable samples.
 */
public final class MannWhitneyU {
  private MannWhitneyU() {}

  /**
   * @param u the statistic of the first sample (the number of pairs where it is the larger, ties half)
   * @param pValue two-sided
   * @param medianA median of the first sample
   * @param medianB median of the second sample
   */
  public record Result(double u, double pValue, double medianA, double medianB, int sizeA, int sizeB) {}

  public static Result test(double[] a, double[] b) {
    int n1 = a.length;
    int n2 = b.length;
    if (n1 == 0 || n2 == 0) throw new IllegalArgumentException("both samples need at least one value");
    int n = n1 + n2;
    double[] all = new double[n];
    int[] from = new int[n];
    Integer[] order = new Integer[n];
    for (int i = 0; i < n1; i++) {
      all[i] = a[i];
    }
    for (int i = 0; i < n2; i++) {
      all[n1 + i] = b[i];
    }
    for (int i = 0; i < n; i++) {
      order[i] = i;
      from[i] = i < n1 ? 0 : 1;
    }
    Arrays.sort(order, (x, y) -> Double.compare(all[x], all[y]));
    double rankSumA = 0;
    double tieTerm = 0;
    int i = 0;
    while (i < n) {
      int j = i;
      while (j + 1 < n && all[order[j + 1]] == all[order[i]]) j++;
      double rank = (i + j) / 2.0 + 1;
      int t = j - i + 1;
      tieTerm += (double) t * t * t - t;
      for (int k = i; k <= j; k++) {
        if (from[order[k]] == 0) rankSumA += rank;
      }
      i = j + 1;
    }
    double u = rankSumA - n1 * (n1 + 1) / 2.0;
    double mean = n1 * (double) n2 / 2.0;
    double variance = n1 * (double) n2 / 12.0 * ((n + 1) - tieTerm / ((double) n * (n - 1)));
    double p;
    if (variance <= 0) {
      p = 1.0;
    } else {
      double z = (Math.abs(u - mean) - 0.5) / Math.sqrt(variance);
      p = Math.min(1.0, 2 * upperTail(Math.max(z, 0)));
    }
    return new Result(u, p, median(a), median(b), n1, n2);
  }

  static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    int m = s.length / 2;
    return s.length % 2 == 1 ? s[m] : (s[m - 1] + s[m]) / 2;
  }

  /** P(Z > z) for a standard normal Z, via the Chebyshev-fitted erfc of Numerical Recipes (fractional error below 1.2e-7). */
  static double upperTail(double z) {
    return 0.5 * erfc(z / Math.sqrt(2));
  }

  private static double erfc(double x) {
    double t = 1.0 / (1.0 + 0.5 * Math.abs(x));
    double y = t * Math.exp(-x * x - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
        + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
        + t * (-0.82215223 + t * 0.17087277)))))))));
    return x >= 0 ? y : 2 - y;
  }
}
