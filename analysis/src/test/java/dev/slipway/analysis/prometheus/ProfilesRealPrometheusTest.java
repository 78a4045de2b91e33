package dev.slipway.analysis.prometheus;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.slipway.analysis.Verdict;
import dev.slipway.analysis.judge.Measurement;
import dev.slipway.analysis.promql.AnalysisArgs;
import dev.slipway.analysis.provider.Resilience;
import dev.slipway.analysis.run.Measurer;
import dev.slipway.analysis.run.ProviderClients;
import dev.slipway.analysis.spec.MetricSpec;
import dev.slipway.analysis.spec.PrometheusTarget;
import dev.slipway.analysis.spec.Query;
import dev.slipway.analysis.spec.QueryProfile;
import dev.slipway.analysis.spec.Schedule;
import dev.slipway.analysis.spec.Threshold;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The Micrometer, Istio and gRPC profiles' built-in queries against a real Prometheus holding data
 * in those conventions.
 */
@Tag("host-tools")
class ProfilesRealPrometheusTest {
  static final Instant END = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(30);
  static final Duration STEP = Duration.ofSeconds(15);

  static Measurement measure(
      PrometheusServer p, QueryProfile profile, Query q, Threshold t, AnalysisArgs args) {
    PrometheusTarget target = PrometheusTarget.at(p.address()).withProfile(profile);
    MetricSpec m =
        new MetricSpec("m", q, Duration.ofMinutes(2), t, null, Schedule.once(), false, target);
    try (ProviderClients providers = new ProviderClients(Resilience.defaults())) {
      return new Measurer(Clock.fixed(END, ZoneOffset.UTC))
          .measure(m, args, providers.forTarget(target));
    }
  }

  @Test
  void micrometerProfile() throws Exception {
    PrometheusServer.requireInstalled();
    Instant from = END.minus(Duration.ofMinutes(10));
    try (PrometheusServer p =
        PrometheusServer.withBackfill(
            ProfileMetrics.micrometer("shop", "bad", 10, 0.25, 0.3, from, END, STEP), null)) {
      AnalysisArgs args =
          new AnalysisArgs("web", "shop", "s", "bad", "web-stable", "web-canary", Map.of());
      Measurement sr =
          measure(
              p, QueryProfile.Micrometer, new Query.SuccessRate(), Threshold.atLeast(0.99), args);
      assertEquals(Verdict.Failed, sr.verdict(), sr.reason());
      assertEquals(0.75, sr.value(), 1e-6);
      Measurement p99 =
          measure(p, QueryProfile.Micrometer, new Query.LatencyP99(), Threshold.atMost(0.5), args);
      assertEquals(Verdict.Successful, p99.verdict(), p99.reason());
      assertEquals(
          true, p99.value() > 0.25 && p99.value() <= 0.5, "P99 in the 0.5 bucket: " + p99.value());
    }
  }

  @Test
  void istioProfileSelectsByServiceAndConvertsMilliseconds() throws Exception {
    PrometheusServer.requireInstalled();
    Instant from = END.minus(Duration.ofMinutes(10));
    try (PrometheusServer p =
        PrometheusServer.withBackfill(
            ProfileMetrics.istio("shop", "web-canary", 10, 0.1, 1.2, from, END, STEP), null)) {
      AnalysisArgs args =
          new AnalysisArgs("web", "shop", "s", "c", "web-stable", "web-canary", Map.of());
      Measurement sr =
          measure(p, QueryProfile.Istio, new Query.SuccessRate(), Threshold.atLeast(0.99), args);
      assertEquals(Verdict.Failed, sr.verdict(), sr.reason());
      assertEquals(0.9, sr.value(), 1e-6);
      Measurement p99 =
          measure(p, QueryProfile.Istio, new Query.LatencyP99(), Threshold.atMost(0.5), args);
      assertEquals(Verdict.Failed, p99.verdict(), p99.reason());
      assertEquals(
          true,
          p99.value() > 1.0 && p99.value() <= 2.5,
          "P99 in seconds, from the 2500 ms bucket: " + p99.value());
      AnalysisArgs stableSide =
          new AnalysisArgs("web", "shop", "s", "c", "web-canary-other", "web-other", Map.of());
      assertEquals(
          Verdict.Inconclusive,
          measure(
                  p,
                  QueryProfile.Istio,
                  new Query.SuccessRate(),
                  Threshold.atLeast(0.99),
                  stableSide)
              .verdict(),
          "another Service has no traffic");
    }
  }

  /**
   * gRPC calls, all HTTP 200: 10% Unavailable and 20% NotFound. The success rate counts the
   * Unavailable ones only (NotFound is the caller's answer), unless the template names NotFound.
   */
  @Test
  void grpcProfileCountsGrpcCodesNotHttpStatus() throws Exception {
    PrometheusServer.requireInstalled();
    Instant from = END.minus(Duration.ofMinutes(10));
    try (PrometheusServer p =
        PrometheusServer.withBackfill(
            ProfileMetrics.grpc(
                "shop",
                "c",
                10,
                Map.of("OK", 0.7, "Unavailable", 0.1, "NotFound", 0.2),
                0.3,
                from,
                END,
                STEP),
            null)) {
      AnalysisArgs args =
          new AnalysisArgs("cart", "shop", "s", "c", "cart-stable", "cart-canary", Map.of());
      Measurement sr =
          measure(
              p, QueryProfile.GrpcServer, new Query.SuccessRate(), Threshold.atLeast(0.95), args);
      assertEquals(Verdict.Failed, sr.verdict(), sr.reason());
      assertEquals(0.9, sr.value(), 1e-6);
      PrometheusTarget strict =
          PrometheusTarget.at(p.address())
              .withProfile(QueryProfile.GrpcServer)
              .withGrpcFailureCodes(Set.of("NotFound"));
      MetricSpec m =
          new MetricSpec(
              "m",
              new Query.SuccessRate(),
              Duration.ofMinutes(2),
              Threshold.atLeast(0.95),
              null,
              Schedule.once(),
              false,
              strict);
      try (ProviderClients providers = new ProviderClients(Resilience.defaults())) {
        Measurement withNotFound =
            new Measurer(Clock.fixed(END, ZoneOffset.UTC))
                .measure(m, args, providers.forTarget(strict));
        assertEquals(0.7, withNotFound.value(), 1e-6, withNotFound.reason());
      }
      Measurement p99 =
          measure(p, QueryProfile.GrpcServer, new Query.LatencyP99(), Threshold.atMost(0.5), args);
      assertEquals(Verdict.Successful, p99.verdict(), p99.reason());
    }
  }
}
