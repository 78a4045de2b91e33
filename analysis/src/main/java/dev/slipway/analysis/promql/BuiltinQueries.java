package dev.slipway.analysis.promql;

import dev.slipway.analysis.spec.GrpcCodes;
import dev.slipway.analysis.spec.PrometheusTarget;
import dev.slipway.analysis.spec.Query;
import dev.slipway.analysis.spec.QueryProfile;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Duration;

/**
 * PromQL for the built-in metrics in each profile. Values enter only through {@link
 * PromQl#literal}, so a hostile namespace or hash cannot change the query.
 *
 * <p>Success rate is (total - 5xx) / total, with a missing 5xx series counted as zero: reading only
 * non-5xx series would turn a canary that fails every request into "no data". With no requests at
 * all the ratio is empty or NaN, which the judge treats as Inconclusive. For gRPC the failures are
 * the calls whose gRPC code fails ({@link GrpcCodes}): most gRPC errors travel as HTTP 200.
 */
public final class BuiltinQueries {
  private BuiltinQueries() {}

  public static String render(
      Query query, PrometheusTarget target, AnalysisArgs args, Side side, Duration window) {
    // Java 17 has no pattern switch; the sealed interface keeps this list complete.
    if (query instanceof Query.SuccessRate) {
      return successRate(target, args, side, window);
    }
    if (query instanceof Query.LatencyP99) {
      return latencyP99(target, args, side, window);
    }
    if (query instanceof Query.SloBurnRate slo) {
      return sloBurnRate(target, args, side, slo);
    }
    if (query instanceof Query.Custom c) {
      return PromQl.substitute(c.template(), args.forSide(side));
    }
    throw new IllegalStateException("unknown query kind " + query);
  }

  static String successRate(PrometheusTarget t, AnalysisArgs a, Side side, Duration window) {
    String w = range(window);
    String sel = selector(t, a, side);
    return switch (t.profile()) {
      case PrometheusClient -> ratio("http_requests_total", sel, "code=~\"5..\"", w);
      case Micrometer -> ratio("http_server_requests_seconds_count", sel, "status=~\"5..\"", w);
      case Istio -> ratio("istio_requests_total", sel, "response_code=~\"5..\"", w);
      case Traefik -> ratio("traefik_service_requests_total", sel, "code=~\"5..\"", w);
      case GrpcServer ->
          ratio("grpc_server_handled_total", sel, "grpc_code=~\"" + GrpcCodes.regex(t) + "\"", w);
    };
  }

  /**
   * One expression, so one measurement holds the whole judgement: per condition the lesser of the
   * two windows' burn rates over the factor (clamp_max with the other as a scalar), then the
   * greatest condition (clamp_min). A window without requests is NaN (0/0), and NaN carries through
   * both clamps, so missing data stays Inconclusive, never a pass.
   */
  static String sloBurnRate(PrometheusTarget t, AnalysisArgs a, Side side, Query.SloBurnRate slo) {
    String worst = null;
    for (Query.BurnRule r : slo.rules()) {
      String perFactor = " / " + number(slo.budget() * r.factor());
      String rule =
          "clamp_max("
              + errorRatio(t, a, side, r.longWindow())
              + perFactor
              + ", scalar("
              + errorRatio(t, a, side, r.shortWindow())
              + perFactor
              + "))";
      worst = worst == null ? rule : "clamp_min(" + worst + ", scalar(" + rule + "))";
    }
    return worst;
  }

  private static String errorRatio(PrometheusTarget t, AnalysisArgs a, Side side, Duration window) {
    return "(1 - " + successRate(t, a, side, window) + ")";
  }

  /**
   * A plain decimal (no exponent, no locale), to 12 significant digits: 1 - 0.9995 is
   * 0.000499999999999945 in binary floating point, and the query should say 0.0005.
   */
  static String number(double v) {
    return new BigDecimal(v).round(new MathContext(12)).stripTrailingZeros().toPlainString();
  }

  static String latencyP99(PrometheusTarget t, AnalysisArgs a, Side side, Duration window) {
    String w = range(window);
    String sel = selector(t, a, side);
    return switch (t.profile()) {
      case PrometheusClient -> quantile("http_request_duration_seconds_bucket", sel, w, "");
      case Micrometer -> quantile("http_server_requests_seconds_bucket", sel, w, "");
      case Istio -> quantile("istio_request_duration_milliseconds_bucket", sel, w, " / 1000");
      case Traefik -> quantile("traefik_service_request_duration_seconds_bucket", sel, w, "");
      case GrpcServer -> quantile("grpc_server_handling_seconds_bucket", sel, w, "");
    };
  }

  private static String ratio(String metric, String sel, String errors, String w) {
    String total = "sum(rate(" + metric + "{" + sel + "}[" + w + "]))";
    String bad = "(sum(rate(" + metric + "{" + sel + "," + errors + "}[" + w + "])) or vector(0))";
    return "(" + total + " - " + bad + ") / " + total;
  }

  private static String quantile(String bucket, String sel, String w, String scale) {
    return "histogram_quantile(0.99, sum by (le) (rate("
        + bucket
        + "{"
        + sel
        + "}["
        + w
        + "])))"
        + scale;
  }

  static String selector(PrometheusTarget t, AnalysisArgs a, Side side) {
    if (t.profile() == QueryProfile.Traefik) {
      // Traefik names a Gateway API backend "<namespace>-<service>-http-<port>@kubernetesgateway".
      String service =
          PromQl.quoteRegex(a.namespace() + "-" + a.service(side))
              + "-http-[0-9]+@kubernetesgateway";
      return "service=~\"" + PromQl.escapeString(service) + "\"";
    }
    if (t.profile() == QueryProfile.Istio) {
      return "destination_service_namespace="
          + PromQl.literal(a.namespace())
          + ",destination_service_name="
          + PromQl.literal(a.service(side));
    }
    return "namespace="
        + PromQl.literal(a.namespace())
        + ","
        + t.revisionLabel()
        + "="
        + PromQl.literal(a.hash(side));
  }

  /** A Prometheus duration: whole seconds are exact and always accepted. */
  public static String range(Duration d) {
    long s = Math.max(1, d.toSeconds());
    return s + "s";
  }
}
