package dev.slipway.e2e.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * Timings of one benchmark figure, reported as median, p90, p99 and max: these machines are shared
 * and noisy.
 */
final class Samples {
  private final String name;
  private final List<Double> millis = new ArrayList<>();

  Samples(String name) {
    this.name = name;
  }

  void add(double ms) {
    millis.add(ms);
  }

  double median() {
    return quantile(0.5);
  }

  double quantile(double q) {
    if (millis.isEmpty()) return Double.NaN;
    List<Double> sorted = new ArrayList<>(millis);
    Collections.sort(sorted);
    // Nearest rank: with few samples, report a value that was actually measured.
    int rank = (int) Math.ceil(q * sorted.size());
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
  }

  @Override
  public String toString() {
    return String.format(
        Locale.ROOT,
        "%-52s n=%-4d median %6.0f ms   p90 %6.0f ms   p99 %6.0f ms   max %6.0f ms",
        name,
        millis.size(),
        median(),
        quantile(0.9),
        quantile(0.99),
        quantile(1.0));
  }
}
