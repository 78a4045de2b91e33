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
 * backfill: counters by status code and a latency histogram, one sample per step. Families must
 * be contiguous and the file must end with "# EOF"; timestamps are in seconds.
 */
public final class OpenMetrics {
  static final double[] BUCKETS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

  /** One revision's traffic: requests per second, the 5xx share, and every request's latency. */
  public record Traffic(String namespace, String hash, double rps, double errorRatio, double latencySeconds) {}

  private final Map<String, List<String>> families = new LinkedHashMap<>();

  public OpenMetrics add(Traffic t, Instant from, Instant to, Duration step) {
    String labels = "namespace=\"" + t.namespace() + "\",slipway_pod_template_hash=\"" + t.hash() + "\"";
    List<String> requests = families.computeIfAbsent("http_requests", k -> new ArrayList<>());
    List<String> hist = families.computeIfAbsent("http_request_duration_seconds", k -> new ArrayList<>());
    List<String> ok = new ArrayList<>();
    List<String> bad = new ArrayList<>();
    Map<Double, List<String>> buckets = new LinkedHashMap<>();
    List<String> inf = new ArrayList<>();
    List<String> count = new ArrayList<>();
    List<String> sum = new ArrayList<>();
    long n = 0;
    for (Instant at = from; !at.isAfter(to); at = at.plus(step), n++) {
      long ts = at.getEpochSecond();
      double total = t.rps() * step.toSeconds() * n;
      double errors = total * t.errorRatio();
      ok.add("http_requests_total{" + labels + ",code=\"200\"} " + num(total - errors) + " " + ts);
      bad.add("http_requests_total{" + labels + ",code=\"500\"} " + num(errors) + " " + ts);
      for (double le : BUCKETS) {
        buckets.computeIfAbsent(le, k -> new ArrayList<>())
            .add("http_request_duration_seconds_bucket{" + labels + ",le=\"" + num(le) + "\"} " + num(t.latencySeconds() <= le ? total : 0) + " " + ts);
      }
      inf.add("http_request_duration_seconds_bucket{" + labels + ",le=\"+Inf\"} " + num(total) + " " + ts);
      count.add("http_request_duration_seconds_count{" + labels + "} " + num(total) + " " + ts);
      sum.add("http_request_duration_seconds_sum{" + labels + "} " + num(total * t.latencySeconds()) + " " + ts);
    }
    requests.addAll(ok);
    requests.addAll(bad);
    buckets.values().forEach(hist::addAll);
    hist.addAll(inf);
    hist.addAll(count);
    hist.addAll(sum);
    return this;
  }

  public String render() {
    StringBuilder b = new StringBuilder();
    b.append("# TYPE http_requests counter\n");
    families.getOrDefault("http_requests", List.of()).forEach(l -> b.append(l).append('\n'));
    b.append("# TYPE http_request_duration_seconds histogram\n");
    families.getOrDefault("http_request_duration_seconds", List.of()).forEach(l -> b.append(l).append('\n'));
    return b.append("# EOF\n").toString();
  }

  private static String num(double v) {
    return String.format(Locale.ROOT, "%.6f", v);
  }
}
