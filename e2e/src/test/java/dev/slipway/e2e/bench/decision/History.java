package dev.slipway.e2e.bench.decision;

import java.util.ArrayList;
import java.util.List;

/**
 * One side's counts, second by second, with the window sums the threshold rules read (as
 * Prometheus' increase() over a range would).
 */
final class History {
  private final List<Side.Second> seconds = new ArrayList<>();

  void add(Side.Second s) {
    seconds.add(s);
  }

  int size() {
    return seconds.size();
  }

  Side.Second at(int i) {
    return seconds.get(i);
  }

  /**
   * Requests and errors over the last {@code window} seconds up to and including second {@code end
   * - 1}.
   */
  long[] window(int end, int window) {
    long n = 0;
    long e = 0;
    for (int i = Math.max(0, end - window); i < end; i++) {
      n += seconds.get(i).requests();
      e += seconds.get(i).errors();
    }
    return new long[] {n, e};
  }

  /** Cumulative bucket counts over the window (the histogram a rate() by le would give). */
  double[] cumulativeBuckets(int end, int window, int buckets) {
    double[] c = new double[buckets];
    for (int i = Math.max(0, end - window); i < end; i++) {
      long[] b = seconds.get(i).buckets();
      for (int k = 0; k < buckets; k++) c[k] += b[k];
    }
    for (int k = 1; k < buckets; k++) c[k] += c[k - 1];
    return c;
  }
}
