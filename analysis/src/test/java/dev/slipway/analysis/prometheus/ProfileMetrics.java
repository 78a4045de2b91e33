package dev.slipway.analysis.prometheus;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Backfill text in Micrometer's and Istio's conventions, so the built-in queries of those profiles
 * run against a real Prometheus too. One revision (or Service), one status code mix, one latency.
 */
final class ProfileMetrics {
  private ProfileMetrics() {}

  /** Micrometer: one histogram family http_server_requests_seconds{status}, pod-labelled. */
  static String micrometer(
      String namespace,
      String hash,
      double rps,
      double errorRatio,
      double latency,
      Instant from,
      Instant to,
      Duration step) {
    String base = "namespace=\"" + namespace + "\",slipway_pod_template_hash=\"" + hash + "\"";
    List<String> lines = new ArrayList<>(List.of("# TYPE http_server_requests_seconds histogram"));
    for (String status : List.of("200", "500")) {
      double share = status.equals("500") ? errorRatio : 1 - errorRatio;
      lines.addAll(
          OpenMetrics.histogram(
              "http_server_requests_seconds",
              base + ",status=\"" + status + "\"",
              OpenMetrics.BUCKETS,
              latency,
              rps * share,
              from,
              to,
              step));
    }
    return String.join("\n", lines) + "\n# EOF\n";
  }

  /**
   * Istio: istio_requests_total{response_code} and istio_request_duration_milliseconds, by
   * destination Service.
   */
  static String istio(
      String namespace,
      String service,
      double rps,
      double errorRatio,
      double latencySeconds,
      Instant from,
      Instant to,
      Duration step) {
    String base =
        "destination_service_namespace=\""
            + namespace
            + "\",destination_service_name=\""
            + service
            + "\"";
    List<String> lines = new ArrayList<>(List.of("# TYPE istio_requests counter"));
    for (String code : List.of("200", "503")) {
      double share = code.equals("503") ? errorRatio : 1 - errorRatio;
      lines.addAll(
          OpenMetrics.counter(
              "istio_requests_total",
              base + ",response_code=\"" + code + "\"",
              rps * share,
              from,
              to,
              step));
    }
    lines.add("# TYPE istio_request_duration_milliseconds histogram");
    lines.addAll(
        OpenMetrics.histogram(
            "istio_request_duration_milliseconds",
            base,
            MS_BUCKETS,
            latencySeconds * 1000,
            rps,
            from,
            to,
            step));
    return String.join("\n", lines) + "\n# EOF\n";
  }

  /**
   * gRPC interceptors: grpc_server_handled_total{grpc_code} (shares by code) and
   * grpc_server_handling_seconds, pod-labelled.
   */
  static String grpc(
      String namespace,
      String hash,
      double rps,
      Map<String, Double> shareByCode,
      double latency,
      Instant from,
      Instant to,
      Duration step) {
    String base =
        "namespace=\""
            + namespace
            + "\",slipway_pod_template_hash=\""
            + hash
            + "\",grpc_service=\"shop.Cart\",grpc_method=\"Get\",grpc_type=\"unary\"";
    List<String> lines = new ArrayList<>(List.of("# TYPE grpc_server_handled counter"));
    for (var e : shareByCode.entrySet()) {
      lines.addAll(
          OpenMetrics.counter(
              "grpc_server_handled_total",
              base + ",grpc_code=\"" + e.getKey() + "\"",
              rps * e.getValue(),
              from,
              to,
              step));
    }
    lines.add("# TYPE grpc_server_handling_seconds histogram");
    lines.addAll(
        OpenMetrics.histogram(
            "grpc_server_handling_seconds",
            base,
            OpenMetrics.BUCKETS,
            latency,
            rps,
            from,
            to,
            step));
    return String.join("\n", lines) + "\n# EOF\n";
  }

  static final double[] MS_BUCKETS = {1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000};
}
