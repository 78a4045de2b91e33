package dev.slipway.e2e.bench;

import dev.slipway.testing.TestTime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Assertions;

/**
 * Generous regression bounds on a benchmark's figures: each is printed beside its figure, with the
 * machine's load, and all are asserted at the end, so a several-fold regression turns CI red while
 * the noise of a shared machine does not. The bounds sit at about three times the figures a quiet
 * 2-core machine gives (docs/figures.md), and stretch with the load average like every timeout.
 */
final class Bounds {
  private final List<String> broken = new ArrayList<>();
  private final double scale = TestTime.scale();

  /**
   * A time or a size that must stay at or below {@code bound} (times the load scale when {@code
   * scaled}).
   */
  void atMost(String figure, double value, double bound, String unit, boolean scaled) {
    double limit = scaled ? bound * scale : bound;
    boolean ok = value <= limit;
    System.out.printf(
        Locale.ROOT,
        "  bound %-52s %8.1f %-4s <= %8.1f %-4s %s%n",
        figure,
        value,
        unit,
        limit,
        unit,
        (ok ? "ok" : "EXCEEDED")
            + (scaled ? String.format(Locale.ROOT, " (x%.2f for load %s)", scale, load()) : ""));
    if (!ok)
      broken.add(
          String.format(Locale.ROOT, "%s: %.1f %s > %.1f %s", figure, value, unit, limit, unit));
  }

  void check() {
    Assertions.assertTrue(
        broken.isEmpty(),
        "benchmark bounds exceeded (a regression, or a machine far busier than its load says): "
            + broken);
  }

  static String load() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    } catch (Exception e) {
      return "?";
    }
  }
}
