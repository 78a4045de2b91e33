package dev.slipway.analysis.promql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.analysis.spec.PrometheusTarget;
import dev.slipway.analysis.spec.Query;
import dev.slipway.analysis.spec.QueryProfile;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BuiltinQueriesTest {
  static final AnalysisArgs ARGS =
      new AnalysisArgs("web", "shop", "s1", "c1", "web-stable", "web-canary", Map.of());
  static final PrometheusTarget T = PrometheusTarget.at("http://127.0.0.1:9090");

  @Test
  void successRateCountsMissingErrorSeriesAsZero() {
    String q =
        BuiltinQueries.render(new Query.SuccessRate(), T, ARGS, Side.CANARY, Duration.ofMinutes(1));
    assertEquals(
        "(sum(rate(http_requests_total{namespace=\"shop\",slipway_pod_template_hash=\"c1\"}[60s]))"
            + " - (sum(rate(http_requests_total{namespace=\"shop\",slipway_pod_template_hash=\"c1\",code=~\"5..\"}[60s])) or vector(0)))"
            + " / sum(rate(http_requests_total{namespace=\"shop\",slipway_pod_template_hash=\"c1\"}[60s]))",
        q);
  }

  @Test
  void latencyReadsTheStableSideForABaseline() {
    String q =
        BuiltinQueries.render(new Query.LatencyP99(), T, ARGS, Side.STABLE, Duration.ofSeconds(30));
    assertEquals(
        "histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket"
            + "{namespace=\"shop\",slipway_pod_template_hash=\"s1\"}[30s])))",
        q);
  }

  @Test
  void istioSelectsByServiceAndConvertsMilliseconds() {
    PrometheusTarget istio = T.withProfile(QueryProfile.Istio);
    String p99 =
        BuiltinQueries.render(
            new Query.LatencyP99(), istio, ARGS, Side.CANARY, Duration.ofMinutes(1));
    assertTrue(
        p99.contains("destination_service_name=\"web-canary\"") && p99.endsWith(" / 1000"), p99);
    String sr =
        BuiltinQueries.render(
            new Query.SuccessRate(), istio, ARGS, Side.CANARY, Duration.ofMinutes(1));
    assertTrue(sr.contains("istio_requests_total") && sr.contains("response_code=~\"5..\""), sr);
  }

  @Test
  void traefikSelectsTheBackendServiceAsTheGatewayNamesIt() {
    PrometheusTarget traefik = T.withProfile(QueryProfile.Traefik);
    String sr =
        BuiltinQueries.render(
            new Query.SuccessRate(), traefik, ARGS, Side.CANARY, Duration.ofMinutes(1));
    assertEquals(
        "(sum(rate(traefik_service_requests_total{service=~\"shop-web-canary-http-[0-9]+@kubernetesgateway\"}[60s]))"
            + " - (sum(rate(traefik_service_requests_total{service=~\"shop-web-canary-http-[0-9]+@kubernetesgateway\",code=~\"5..\"}[60s]))"
            + " or vector(0))) / sum(rate(traefik_service_requests_total{service=~\"shop-web-canary-http-[0-9]+@kubernetesgateway\"}[60s]))",
        sr);
    String p99 =
        BuiltinQueries.render(
            new Query.LatencyP99(), traefik, ARGS, Side.STABLE, Duration.ofMinutes(1));
    assertEquals(
        "histogram_quantile(0.99, sum by (le) (rate(traefik_service_request_duration_seconds_bucket"
            + "{service=~\"shop-web-stable-http-[0-9]+@kubernetesgateway\"}[60s])))",
        p99);
  }

  @Test
  void traefikServiceRegexKeepsHostileNamesLiteral() {
    AnalysisArgs evil =
        new AnalysisArgs("web", "shop", "s1", "c1", "a", ".*\"} or vector(1) or {\"", Map.of());
    String q =
        BuiltinQueries.render(
            new Query.SuccessRate(),
            T.withProfile(QueryProfile.Traefik),
            evil,
            Side.CANARY,
            Duration.ofMinutes(1));
    // Regex-quoted, then string-escaped: the name stays one literal inside the selector.
    assertTrue(
        q.contains(
            "service=~\"shop-\\\\.\\\\*\\\"\\\\} or vector\\\\(1\\\\) or \\\\{\\\"-http-[0-9]+@kubernetesgateway\""),
        q);
  }

  @Test
  void micrometerUsesStatusLabel() {
    String sr =
        BuiltinQueries.render(
            new Query.SuccessRate(),
            T.withProfile(QueryProfile.Micrometer),
            ARGS,
            Side.CANARY,
            Duration.ofMinutes(1));
    assertTrue(
        sr.contains("http_server_requests_seconds_count") && sr.contains("status=~\"5..\""), sr);
  }

  @Test
  void hostileNamespaceStaysALiteral() {
    AnalysisArgs evil =
        new AnalysisArgs("web", "\"} or vector(1) or {\"", "s1", "c1", "a", "b", Map.of());
    String q =
        BuiltinQueries.render(new Query.LatencyP99(), T, evil, Side.CANARY, Duration.ofMinutes(1));
    assertTrue(q.contains("namespace=\"\\\"} or vector(1) or {\\\"\""), q);
  }

  @Test
  void customTemplateSeesSideDependentArgs() {
    Query.Custom c =
        new Query.Custom(
            "sum(x{rev=\"{{args.revision}}\",svc=\"{{args.service}}\",ns=\"{{args.namespace}}\"})");
    assertEquals(
        "sum(x{rev=\"s1\",svc=\"web-stable\",ns=\"shop\"})",
        BuiltinQueries.render(c, T, ARGS, Side.STABLE, Duration.ofMinutes(1)));
    assertEquals(
        "sum(x{rev=\"c1\",svc=\"web-canary\",ns=\"shop\"})",
        BuiltinQueries.render(c, T, ARGS, Side.CANARY, Duration.ofMinutes(1)));
  }

  @Test
  void sloBurnRateTakesTheLesserWindowPerConditionAndTheWorstCondition() {
    Query.SloBurnRate slo =
        new Query.SloBurnRate(
            0.9995,
            List.of(
                new Query.BurnRule(14.4, Duration.ofHours(1), Duration.ofMinutes(5)),
                new Query.BurnRule(6, Duration.ofHours(6), Duration.ofMinutes(30))));
    String q = BuiltinQueries.render(slo, T, ARGS, Side.CANARY, Duration.ofMinutes(1));
    assertTrue(q.startsWith("clamp_min(clamp_max((1 - "), q);
    // budget 0.0005 times each factor: the value is burn rate over factor, so 1 is the limit.
    assertTrue(q.contains(" / 0.0072, scalar((1 - ") && q.contains(" / 0.003, scalar((1 - "), q);
    for (String w : new String[] {"[3600s]", "[300s]", "[21600s]", "[1800s]"}) {
      assertTrue(q.contains(w), w + " in " + q);
    }
    assertTrue(
        q.contains("slipway_pod_template_hash=\"c1\"") && !q.contains("\"s1\""),
        "the canary's own series: " + q);
  }

  @Test
  void budgetTimesFactorIsWrittenAsAPlainDecimal() {
    assertEquals("0.0072", BuiltinQueries.number(0.0005 * 14.4));
    assertEquals("0.000001", BuiltinQueries.number(1e-6));
  }

  /**
   * gRPC: a call fails by its gRPC code (most gRPC errors are HTTP 200), the server's own trouble
   * always, a caller's (NotFound) only when the template names it; the sequential judge's counters
   * classify series the same way.
   */
  @Test
  void grpcCountsFailuresByTheirGrpcCode() {
    PrometheusTarget grpc = T.withProfile(QueryProfile.GrpcServer);
    String sr =
        BuiltinQueries.render(
            new Query.SuccessRate(), grpc, ARGS, Side.CANARY, Duration.ofMinutes(1));
    assertTrue(
        sr.contains(
            "grpc_server_handled_total{namespace=\"shop\",slipway_pod_template_hash=\"c1\",grpc_code=~\"DeadlineExceeded|Internal|Unavailable|Unknown\"}"),
        sr);
    assertTrue(
        BuiltinQueries.render(
                new Query.LatencyP99(), grpc, ARGS, Side.CANARY, Duration.ofMinutes(1))
            .contains("grpc_server_handling_seconds_bucket"));
    PrometheusTarget strict = grpc.withGrpcFailureCodes(Set.of("ResourceExhausted"));
    assertTrue(
        BuiltinQueries.render(
                new Query.SuccessRate(), strict, ARGS, Side.CANARY, Duration.ofMinutes(1))
            .contains(
                "grpc_code=~\"DeadlineExceeded|Internal|ResourceExhausted|Unavailable|Unknown\""));
    assertTrue(CounterQueries.serverError(grpc, Map.of("grpc_code", "Unavailable")));
    assertTrue(!CounterQueries.serverError(grpc, Map.of("grpc_code", "OK")));
    assertTrue(!CounterQueries.serverError(grpc, Map.of("grpc_code", "ResourceExhausted")));
    assertTrue(CounterQueries.serverError(strict, Map.of("grpc_code", "ResourceExhausted")));
    assertTrue(!CounterQueries.serverError(grpc, Map.of("code", "500")), "not an HTTP status");
    assertTrue(
        CounterQueries.requests(grpc, ARGS, Side.STABLE).startsWith("grpc_server_handled_total{"));
    assertThrows(
        IllegalArgumentException.class,
        () -> grpc.withGrpcFailureCodes(Set.of("Unavailable\"}) or vector(1) #")));
  }
}
