package dev.slipway.analysis.promql;

import dev.slipway.analysis.spec.GrpcCodes;
import dev.slipway.analysis.spec.PrometheusTarget;
import dev.slipway.analysis.spec.QueryProfile;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The raw counters the sequential judge reads, per profile: the request counter (with its status
 * code label), and the latency histogram's count and one bucket. Selected per side exactly as the
 * built-in queries select it ({@link BuiltinQueries#selector}), never aggregated: the judge takes
 * increments series by series, so a pod restart's counter reset is seen, not summed away.
 */
public final class CounterQueries {
  private static final Pattern SERVER_ERROR = Pattern.compile("5\\d\\d");

  private CounterQueries() {}

  /** The request counter's series for one side; each carries its status code label. */
  public static String requests(PrometheusTarget t, AnalysisArgs a, Side side) {
    return family(t).requests() + "{" + BuiltinQueries.selector(t, a, side) + "}";
  }

  /**
   * Whether a request series counts failed requests, by its profile's status label: 5xx, or for
   * gRPC a failing gRPC code.
   */
  public static boolean serverError(PrometheusTarget t, Map<String, String> labels) {
    String code = labels.get(family(t).codeLabel());
    if (code == null) return false;
    return t.profile() == QueryProfile.GrpcServer
        ? GrpcCodes.failing(t).contains(code)
        : SERVER_ERROR.matcher(code).matches();
  }

  /**
   * The latency histogram's observation count for one side (a series per pod or per edge instance).
   */
  public static String histogramCount(PrometheusTarget t, AnalysisArgs a, Side side) {
    return family(t).count() + "{" + BuiltinQueries.selector(t, a, side) + "}";
  }

  /** One bucket of the histogram for one side, by its le label exactly as exported. */
  public static String bucket(PrometheusTarget t, AnalysisArgs a, Side side, String le) {
    return family(t).bucket()
        + "{"
        + BuiltinQueries.selector(t, a, side)
        + ",le="
        + PromQl.literal(le)
        + "}";
  }

  /**
   * The side's histogram over the window before {@code at}, one series per le (for planning the
   * latency threshold).
   */
  public static String histogram(PrometheusTarget t, AnalysisArgs a, Side side, Duration window) {
    return "sum by (le) (increase("
        + family(t).bucket()
        + "{"
        + BuiltinQueries.selector(t, a, side)
        + "}["
        + BuiltinQueries.range(window)
        + "]))";
  }

  /** The side's request rate over the window, in requests per second (for planning the power). */
  public static String requestRate(PrometheusTarget t, AnalysisArgs a, Side side, Duration window) {
    return "sum(rate(" + requests(t, a, side) + "[" + BuiltinQueries.range(window) + "]))";
  }

  /** Bucket bounds are seconds in every profile but Istio's, which counts milliseconds. */
  public static double secondsPerUnit(PrometheusTarget t) {
    return family(t).secondsPerUnit();
  }

  record Family(
      String requests, String codeLabel, String bucket, String count, double secondsPerUnit) {}

  static Family family(PrometheusTarget t) {
    return switch (t.profile()) {
      case PrometheusClient ->
          new Family(
              "http_requests_total",
              "code",
              "http_request_duration_seconds_bucket",
              "http_request_duration_seconds_count",
              1);
      case Micrometer ->
          new Family(
              "http_server_requests_seconds_count",
              "status",
              "http_server_requests_seconds_bucket",
              "http_server_requests_seconds_count",
              1);
      case Istio ->
          new Family(
              "istio_requests_total",
              "response_code",
              "istio_request_duration_milliseconds_bucket",
              "istio_request_duration_milliseconds_count",
              0.001);
      case Traefik ->
          new Family(
              "traefik_service_requests_total",
              "code",
              "traefik_service_request_duration_seconds_bucket",
              "traefik_service_request_duration_seconds_count",
              1);
      case GrpcServer ->
          new Family(
              "grpc_server_handled_total",
              "grpc_code",
              "grpc_server_handling_seconds_bucket",
              "grpc_server_handling_seconds_count",
              1);
    };
  }
}
