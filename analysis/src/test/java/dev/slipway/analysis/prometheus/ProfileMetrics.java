package dev.slipway.analysis.prometheus;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Backfill text in Micrometer's and Istio's conventions, so the built-in queries of those profiles
 * run against a real Prometheus too. One revision (or Service), one status code mix, one latency.
 */
final class ProfileMetrics {
  private ProfileMetrics() {}

  /** Micrometer: one histogram family http_server_requests_seconds{status}, pod-labelled. */
  static String micrometer(String namespace, String hash, double rps, double errorRatio, double latency, Instant from, Instant to,
      Duration step) {
    String base = "namespace=\"" + namespace + "\",slipway_pod_template_hash=\"" + hash + "\"";
    List<String> lines = new ArrayList<>();
    lines.add("# TYPE http_server_requests_seconds histogram");
    for (String status : List.of("200", "500")) {
      double share = status.equals("500") ? errorRatio : 1 - errorRatio;
      String labels = base + ",status=\"" + status + "\"";
      List<String> buckets = new ArrayList<>();
      List<String> count = new ArrayList<>();
      List<String> sum = new ArrayList<>();
      long n = 0;
      for (Instant at = from; !at.isAfter(to); at = at.plus(step), n++) {
        double total = rps * share * step.toSeconds() * n;
        long ts = at.getEpochSecond();
        for (double le : OpenMetrics.BUCKETS) {
          buckets.add("http_server_requests_seconds_bucket{" + labels + ",le=\"" + num(le) + "\"} " + num(latency <= le ? total : 0) + " " + ts);
        }
        buckets.add("http_server_requests_seconds_bucket{" + labels + ",le=\"+Inf\"} " + num(total) + " " + ts);
        count.add("http_server_requests_seconds_count{" + labels + "} " + num(total) + " " + ts);
        sum.add("http_server_requests_seconds_sum{" + labels + "} " + num(total * latency) + " " + ts);
      }
      // Within a family, keep each series' samples together and in time order.
      buckets.sort(java.util.Comparator.comparing((String l) -> l.substring(0, l.lastIndexOf('}'))));
      lines.addAll(buckets);
      lines.addAll(count);
      lines.addAll(sum);
    }
    return String.join("\n", lines) + "\n# EOF\n";
  }

  /** Istio: istio_requests_total{response_code} and istio_request_duration_milliseconds, by destination Service. */
  static String istio(String namespace, String service, double rps, double errorRatio, double latencySeconds, Instant from, Instant to,
      Duration step) {
    String base = "destination_service_namespace=\"" + namespace + "\",destination_service_name=\"" + service + "\"";
    List<String> req = new ArrayList<>(List.of("# TYPE istio_requests counter"));
    List<String> hist = new ArrayList<>(List.of("# TYPE istio_request_duration_milliseconds histogram"));
    for (String code : List.of("200", "503")) {
      double share = code.equals("503") ? errorRatio : 1 - errorRatio;
      long n = 0;
      for (Instant at = from; !at.isAfter(to); at = at.plus(step), n++) {
        req.add("istio_requests_total{" + base + ",response_code=\"" + code + "\"} " + num(rps * share * step.toSeconds() * n) + " " + at.getEpochSecond());
      }
    }
    List<String> buckets = new ArrayList<>();
    List<String> count = new ArrayList<>();
    List<String> sum = new ArrayList<>();
    long n = 0;
    double ms = latencySeconds * 1000;
    for (Instant at = from; !at.isAfter(to); at = at.plus(step), n++) {
      double total = rps * step.toSeconds() * n;
      long ts = at.getEpochSecond();
      for (double le : new double[] {1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000}) {
        buckets.add("istio_request_duration_milliseconds_bucket{" + base + ",le=\"" + num(le) + "\"} " + num(ms <= le ? total : 0) + " " + ts);
      }
      buckets.add("istio_request_duration_milliseconds_bucket{" + base + ",le=\"+Inf\"} " + num(total) + " " + ts);
      count.add("istio_request_duration_milliseconds_count{" + base + "} " + num(total) + " " + ts);
      sum.add("istio_request_duration_milliseconds_sum{" + base + "} " + num(total * ms) + " " + ts);
    }
    buckets.sort(java.util.Comparator.comparing((String l) -> l.substring(0, l.lastIndexOf('}'))));
    hist.addAll(buckets);
    hist.addAll(count);
    hist.addAll(sum);
    return String.join("\n", req) + "\n" + String.join("\n", hist) + "\n# EOF\n";
  }

  private static String num(double v) {
    return String.format(Locale.ROOT, "%.6f", v);
  }
}
