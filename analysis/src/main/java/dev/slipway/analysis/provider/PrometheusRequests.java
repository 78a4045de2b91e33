package dev.slipway.analysis.provider;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Prometheus HTTP API's request shapes, kept apart from transport so they can be read and
 * tested alone.
 */
final class PrometheusRequests {
  static final String INSTANT = "/api/v1/query";
  static final String RANGE = "/api/v1/query_range";

  private PrometheusRequests() {}

  static Map<String, String> instant(String query, Instant at, Duration timeout) {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("query", query);
    p.put("time", seconds(at));
    p.put("timeout", timeout.toMillis() + "ms");
    return p;
  }

  static Map<String, String> range(
      String query, Instant start, Instant end, Duration step, Duration timeout) {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("query", query);
    p.put("start", seconds(start));
    p.put("end", seconds(end));
    p.put("step", Math.max(1, step.toSeconds()) + "s");
    p.put("timeout", timeout.toMillis() + "ms");
    return p;
  }

  private static String seconds(Instant t) {
    return t.getEpochSecond() + "." + String.format("%03d", t.getNano() / 1_000_000);
  }
}
