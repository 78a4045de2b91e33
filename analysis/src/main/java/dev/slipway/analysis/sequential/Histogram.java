package dev.slipway.analysis.sequential;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * A cumulative latency histogram as Prometheus keeps one: for each bucket bound {@code le}, how
 * many observations were at or below it (the last bound is +Inf). Read for the baseline before a
 * run, to fix the latency test's threshold and what the declared slow-down would do to it. Within a
 * bucket, values are taken as spread evenly (histogram_quantile's assumption).
 */
public record Histogram(List<Bucket> buckets) {
  /**
   * One bound: its label as Prometheus spells it (to select that series again), its value, and the
   * cumulative count.
   */
  public record Bucket(String le, double bound, double count) {}

  public Histogram {
    List<Bucket> sorted = new ArrayList<>(buckets);
    sorted.sort(Comparator.comparingDouble(Bucket::bound));
    if (sorted.isEmpty() || !Double.isInfinite(sorted.get(sorted.size() - 1).bound())) {
      throw new IllegalArgumentException("a histogram ends with its +Inf bucket");
    }
    buckets = List.copyOf(sorted);
  }

  /**
   * From le label to cumulative count, as a query by le returns it (bounds in seconds). Unparseable
   * labels are refused.
   */
  public static Histogram of(Map<String, Double> byLe) {
    return of(byLe, 1);
  }

  /**
   * The same, for a histogram whose bounds count {@code secondsPerUnit} seconds each (Istio's are
   * milliseconds).
   */
  public static Histogram of(Map<String, Double> byLe, double secondsPerUnit) {
    List<Bucket> b = new ArrayList<>();
    byLe.forEach((le, count) -> b.add(new Bucket(le, parse(le) * secondsPerUnit, count)));
    return new Histogram(b);
  }

  static double parse(String le) {
    String s = le.strip();
    if (s.equals("+Inf") || s.equals("Inf")) return Double.POSITIVE_INFINITY;
    try {
      return Double.parseDouble(s);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a histogram bound: le=" + le);
    }
  }

  public double total() {
    return buckets.get(buckets.size() - 1).count();
  }

  /** The q-quantile, as histogram_quantile computes it; NaN without observations. */
  public double quantile(double q) {
    double total = total();
    if (!(total > 0)) return Double.NaN;
    double rank = q * total;
    double lowerBound = 0;
    double lowerCount = 0;
    for (Bucket b : buckets) {
      if (b.count() >= rank) {
        if (Double.isInfinite(b.bound())) return lowerBound;
        double inBucket = b.count() - lowerCount;
        return inBucket <= 0
            ? b.bound()
            : lowerBound + (b.bound() - lowerBound) * (rank - lowerCount) / inBucket;
      }
      lowerBound = b.bound();
      lowerCount = b.count();
    }
    return lowerBound;
  }

  /**
   * The share of observations at or below x (linear within a bucket; beyond the last finite bound,
   * what it holds).
   */
  public double cdf(double x) {
    double total = total();
    if (!(total > 0)) return Double.NaN;
    double lowerBound = 0;
    double lowerCount = 0;
    for (Bucket b : buckets) {
      if (x <= b.bound()) {
        if (Double.isInfinite(b.bound())) return lowerCount / total;
        double width = b.bound() - lowerBound;
        double f = width <= 0 ? 1 : Math.max(0, (x - lowerBound) / width);
        return (lowerCount + f * (b.count() - lowerCount)) / total;
      }
      lowerBound = b.bound();
      lowerCount = b.count();
    }
    return 1;
  }

  /**
   * The latency test's plan: the smallest finite bound at or above the baseline's quantile is the
   * threshold (a bound, so each look can count it exactly); the baseline's share above it; and the
   * share above it if every response were {@code slowdown} (0.2 = 20%) slower. Null when the
   * histogram is empty or its quantile lies beyond every finite bound.
   */
  public LatencyPlan plan(double quantile, double slowdown) {
    double qv = quantile(quantile);
    if (Double.isNaN(qv)) return null;
    for (Bucket b : buckets) {
      if (!Double.isInfinite(b.bound()) && b.bound() >= qv) {
        double share = 1 - cdf(b.bound());
        double slowed = 1 - cdf(b.bound() / (1 + slowdown));
        return new LatencyPlan(b.le(), b.bound(), qv, share, slowed);
      }
    }
    return null;
  }

  /**
   * Where the latency test draws its line.
   *
   * @param le the bucket label counted as "fast enough"
   * @param threshold its value, in the histogram's unit
   * @param baselineQuantile the baseline's quantile it was chosen from
   * @param baselineShare the baseline's share of responses above the threshold, before the run
   * @param shareUnderEffect that share if the baseline were slower by the declared effect
   */
  public record LatencyPlan(
      String le,
      double threshold,
      double baselineQuantile,
      double baselineShare,
      double shareUnderEffect) {
    /**
     * How many times the slow share grows under the declared effect: the ratio the test must be
     * able to see.
     */
    public double effectRatio() {
      return baselineShare > 0 ? shareUnderEffect / baselineShare : Double.POSITIVE_INFINITY;
    }
  }
}
