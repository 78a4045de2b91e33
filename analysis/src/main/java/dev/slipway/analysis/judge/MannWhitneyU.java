package dev.slipway.analysis.judge;

import java.util.Arrays;
import org.apache.commons.statistics.inference.MannWhitneyUTest;

/**
 * Mann-Whitney U test, two-sided, by Apache Commons Statistics: an exact p-value for small samples
 * without ties (the sizes the judge sees: a handful of window samples per side), the normal
 * approximation with tie and continuity corrections otherwise (as scipy's method='auto'). Pure.
 *
 * <p>The samples are a windowed value (a rate, a P99) read at a step over the window, so
 * neighbouring samples share most of their window: they are not independent, and the test's p-value
 * is optimistic. It is a cross-check beside the threshold, not a guarantee; the sequential judge is
 * the one with a stated error rate.
 */
public final class MannWhitneyU {
  private static final MannWhitneyUTest TEST = MannWhitneyUTest.withDefaults();

  private MannWhitneyU() {}

  /**
   * The test's outcome for two samples.
   *
   * @param u the statistic of the first sample (the number of pairs where it is the larger, ties
   *     half)
   * @param pValue two-sided
   * @param medianA median of the first sample
   * @param medianB median of the second sample
   */
  public record Result(
      double u, double pValue, double medianA, double medianB, int sizeA, int sizeB) {}

  public static Result test(double[] a, double[] b) {
    if (a.length == 0 || b.length == 0)
      throw new IllegalArgumentException("both samples need at least one value");
    boolean allEqual =
        Arrays.stream(a).allMatch(x -> x == a[0]) && Arrays.stream(b).allMatch(x -> x == a[0]);
    if (allEqual) {
      // No variance at all: nothing to tell apart (the library refuses this case).
      return new Result(
          a.length * (double) b.length / 2, 1.0, median(a), median(b), a.length, b.length);
    }
    MannWhitneyUTest.Result r = TEST.test(a, b);
    return new Result(r.getStatistic(), r.getPValue(), median(a), median(b), a.length, b.length);
  }

  static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    int m = s.length / 2;
    return s.length % 2 == 1 ? s[m] : (s[m - 1] + s[m]) / 2;
  }
}
