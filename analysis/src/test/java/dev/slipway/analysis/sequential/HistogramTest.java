package dev.slipway.analysis.sequential;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The baseline's histogram: quantiles as histogram_quantile computes them, and the latency test's
 * plan.
 */
class HistogramTest {
  static Histogram sample() {
    Map<String, Double> h = new LinkedHashMap<>();
    h.put("0.05", 500.0);
    h.put("0.1", 900.0);
    h.put("0.25", 990.0);
    h.put("0.5", 999.0);
    h.put("+Inf", 1000.0);
    return Histogram.of(h);
  }

  @Test
  void quantilesInterpolateWithinTheBucketAsPrometheusDoes() {
    Histogram h = sample();
    assertEquals(0.05, h.quantile(0.5), 1e-12);
    assertEquals(0.25, h.quantile(0.99), 1e-12);
    assertEquals(0.1 + 0.15 * (950 - 900) / 90.0, h.quantile(0.95), 1e-12);
    assertEquals(0.5, h.quantile(0.9995), 1e-12, "in the +Inf bucket: the highest finite bound");
  }

  @Test
  void thePlanCountsAboveTheFirstBoundAtOrAboveTheQuantile() {
    Histogram.LatencyPlan p = sample().plan(0.99, 0.2);
    assertEquals("0.25", p.le());
    assertEquals(0.01, p.baselineShare(), 1e-12);
    // 20% slower: the share above 0.25 s is the share above 0.25 / 1.2 s now.
    double expected = 1 - (900 + 90 * (0.25 / 1.2 - 0.1) / 0.15) / 1000;
    assertEquals(expected, p.shareUnderEffect(), 1e-12);
    assertTrue(p.effectRatio() > 1);
  }

  @Test
  void anEmptyHistogramHasNoPlanAndAMalformedOneIsRefused() {
    assertNull(Histogram.of(Map.of("0.1", 0.0, "+Inf", 0.0)).plan(0.99, 0.2));
    assertThrows(IllegalArgumentException.class, () -> Histogram.of(Map.of("0.1", 3.0)));
    assertThrows(
        IllegalArgumentException.class, () -> Histogram.of(Map.of("fast", 3.0, "+Inf", 4.0)));
  }

  @Test
  void millisecondBoundsAreReadAsSeconds() {
    Histogram h = Histogram.of(Map.of("50", 90.0, "250", 99.0, "+Inf", 100.0), 0.001);
    assertEquals("250", h.plan(0.95, 0.2).le());
    assertEquals(0.25, h.plan(0.95, 0.2).threshold(), 1e-12);
  }
}
