package dev.slipway.analysis.prometheus;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes request metrics in the Prometheus-client convention as OpenMetrics text for promtool
 * backfill: counters by status code and a latency histogram, one sample per step. Families must be
 * contiguous and the file must end with "# EOF"; timestamps are in seconds.
 */
public final class OpenMetrics {
  static final double[] BUCKETS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

  /** One revision's traffic: requests per second, the 5xx share, and every request's latency. */
  public record Traffic(
      String namespace, String hash, double rps, double errorRatio, double latencySeconds) {}

  private final Map<String, List<String>> families = new LinkedHashMap<>();

  public OpenMetrics add(Traffic t, Instant from, Instant to, Duration step) {
    String labels =
        "namespace=\"" + t.namespace() + "\",slipway_pod_template_hash=\"" + t.hash() + "\"";
    List<String> requests = families.computeIfAbsent("http_requests", k -> new ArrayList<>());
    List<String> hist =
        families.computeIfAbsent("http_request_duration_seconds", k -> new ArrayList<>());
    for (String code : List.of("200", "500")) {
      double share = code.equals("500") ? t.errorRatio() : 1 - t.errorRatio();
      requests.addAll(
          counter(
              "http_requests_total",
              labels + ",code=\"" + code + "\"",
              t.rps() * share,
              from,
              to,
              step));
    }
    hist.addAll(
        histogram(
            "http_request_duration_seconds",
            labels,
            BUCKETS,
            t.latencySeconds(),
            t.rps(),
            from,
            to,
            step));
    return this;
  }

  public String render() {
    StringBuilder b = new StringBuilder();
    b.append("# TYPE http_requests counter\n");
    families.getOrDefault("http_requests", List.of()).forEach(l -> b.append(l).append('\n'));
    b.append("# TYPE http_request_duration_seconds histogram\n");
    families
        .getOrDefault("http_request_duration_seconds", List.of())
        .forEach(l -> b.append(l).append('\n'));
    return b.append("# EOF\n").toString();
  }

  /** A counter growing at {@code rate} per second, one sample per step. */
  static List<String> counter(
      String name, String labels, double rate, Instant from, Instant to, Duration step) {
    List<String> out = new ArrayList<>();
    long n = 0;
    for (Instant at = from; !at.isAfter(to); at = at.plus(step), n++) {
      out.add(
          name
              + "{"
              + labels
              + "} "
              + num(rate * step.toSeconds() * n)
              + " "
              + at.getEpochSecond());
    }
    return out;
  }

  /**
   * One histogram series where every observation is {@code value}, {@code rate} per second: each
   * bucket's samples together and in time order, then _count and _sum, as backfill requires.
   */
  static List<String> histogram(
      String family,
      String labels,
      double[] bounds,
      double value,
      double rate,
      Instant from,
      Instant to,
      Duration step) {
    List<String> out = new ArrayList<>();
    for (int b = 0; b <= bounds.length; b++) {
      String le = b == bounds.length ? "+Inf" : num(bounds[b]);
      boolean inside = b == bounds.length || value <= bounds[b];
      List<String> series =
          counter(
              family + "_bucket", labels + ",le=\"" + le + "\"", inside ? rate : 0, from, to, step);
      out.addAll(series);
    }
    out.addAll(counter(family + "_count", labels, rate, from, to, step));
    out.addAll(counter(family + "_sum", labels, rate * value, from, to, step));
    return out;
  }

  private static String num(double v) {
    return String.format(Locale.ROOT, "%.6f", v);
  }
}
