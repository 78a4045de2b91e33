package dev.slipway.analysis.promql;

import dev.slipway.analysis.spec.PrometheusTarget;
import dev.slipway.analysis.spec.Query;
import dev.slipway.analysis.spec.QueryProfile;
import java.time.Duration;

/**
 * PromQL for the built-in metrics in each profile. Values enter only through {@link PromQl#literal},
 * so a hostile namespace or hash cannot change the query.
 *
 * <p>Success rate is (total - 5xx) / total, with a missing 5xx series counted as zero: reading only
 * non-5xx series would turn a canary that fails every request into "no data". With no requests at
 * all the ratio is empty or NaN, which the judge treats as Inconclusive.
 */
public final class BuiltinQueries {
  private BuiltinQueries() {}

  public static String render(Query query, PrometheusTarget target, AnalysisArgs args, Side side, Duration window) {
    // Java 17 has no pattern switch; the sealed interface keeps this list complete.
    if (query instanceof Query.SuccessRate) {
      return successRate(target, args, side, window);
    }
    if (query instanceof Query.LatencyP99) {
      return latencyP99(target, args, side, window);
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
    };
  }

  static String latencyP99(PrometheusTarget t, AnalysisArgs a, Side side, Duration window) {
    String w = range(window);
    String sel = selector(t, a, side);
    return switch (t.profile()) {
      case PrometheusClient -> quantile("http_request_duration_seconds_bucket", sel, w, "");
      case Micrometer -> quantile("http_server_requests_seconds_bucket", sel, w, "");
      case Istio -> quantile("istio_request_duration_milliseconds_bucket", sel, w, " / 1000");
      case Traefik -> quantile("traefik_service_request_duration_seconds_bucket", sel, w, "");
    };
  }

  private static String ratio(String metric, String sel, String errors, String w) {
    String total = "sum(rate(" + metric + "{" + sel + "}[" + w + "]))";
    String bad = "(sum(rate(" + metric + "{" + sel + "," + errors + "}[" + w + "])) or vector(0))";
    return "(" + total + " - " + bad + ") / " + total;
  }

  private static String quantile(String bucket, String sel, String w, String scale) {
    return "histogram_quantile(0.99, sum by (le) (rate(" + bucket + "{" + sel + "}[" + w + "])))" + scale;
  }

  static String selector(PrometheusTarget t, AnalysisArgs a, Side side) {
    if (t.profile() == QueryProfile.Traefik) {
      // Traefik names a Gateway API backend "<namespace>-<service>-http-<port>@kubernetesgateway".
      String service = PromQl.quoteRegex(a.namespace() + "-" + a.service(side)) + "-http-[0-9]+@kubernetesgateway";
      return "service=~\"" + PromQl.escapeString(service) + "\"";
    }
    if (t.profile() == QueryProfile.Istio) {
      return "destination_service_namespace=" + PromQl.literal(a.namespace())
          + ",destination_service_name=" + PromQl.literal(a.service(side));
    }
    return "namespace=" + PromQl.literal(a.namespace()) + "," + t.revisionLabel() + "=" + PromQl.literal(a.hash(side));
  }

  /** A Prometheus duration: whole seconds are exact and always accepted. */
  public static String range(Duration d) {
    long s = Math.max(1, d.toSeconds());
    return s + "s";
  }
}
