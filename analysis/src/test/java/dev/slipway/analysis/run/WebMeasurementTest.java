package dev.slipway.analysis.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.analysis.Verdict;
import dev.slipway.analysis.judge.Measurement;
import dev.slipway.analysis.promql.AnalysisArgs;
import dev.slipway.analysis.promql.Side;
import dev.slipway.analysis.provider.QueryOutcome;
import dev.slipway.analysis.spec.MetricSource;
import dev.slipway.analysis.spec.MetricSpec;
import dev.slipway.analysis.spec.PrometheusTarget;
import dev.slipway.analysis.spec.Query;
import dev.slipway.analysis.spec.Schedule;
import dev.slipway.analysis.spec.Threshold;
import dev.slipway.analysis.spec.WebCheck;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A web check measured and judged (issue 30): a value is judged by the threshold, no data is
 * Inconclusive, a provider failure is Error (never Successful); the URL's arguments are filled in
 * URL-encoded and only in its query string; what is recorded names no header value.
 */
class WebMeasurementTest {
  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-06T12:00:00Z"), ZoneOffset.UTC);
  static final AnalysisArgs ARGS =
      new AnalysisArgs("shop", "prod", "h1", "h2 &x=1", "shop-stable", "shop-canary", Map.of());

  static MetricSpec metric(String url) {
    return new MetricSpec(
        "smoke",
        new Query.Web(
            new WebCheck(url, "GET", null, Map.of("Authorization", "Bearer s3cret"), "$.ok", null)),
        Duration.ofMinutes(1),
        Threshold.atLeast(0.99),
        null,
        Schedule.once(),
        false,
        MetricSource.Web.INSTANCE);
  }

  static Measurement measure(MetricSpec m, QueryOutcome answer, List<String> sent) {
    Providers providers =
        new Providers() {
          @Override
          public dev.slipway.analysis.provider.MetricProvider forTarget(
              dev.slipway.analysis.spec.MetricSource source) {
            throw new AssertionError("a web check asks no Prometheus");
          }

          @Override
          public QueryOutcome web(WebCheck check) {
            sent.add(check.url());
            return answer;
          }
        };
    return new Measurer(CLOCK).web(m, ((Query.Web) m.query()).check(), ARGS, providers);
  }

  @Test
  void aValueIsJudgedByTheThresholdNoDataIsInconclusiveAFailureIsAnError() {
    List<String> sent = new ArrayList<>();
    MetricSpec m = metric("http://smoke.shop.svc/verdict");
    assertEquals(Verdict.Successful, measure(m, new QueryOutcome.Value(1), sent).verdict());
    assertEquals(Verdict.Failed, measure(m, new QueryOutcome.Value(0.5), sent).verdict());
    assertEquals(
        Verdict.Inconclusive,
        measure(m, new QueryOutcome.NoData("nothing at $.ok"), sent).verdict());
    Measurement e = measure(m, new QueryOutcome.Failure("HTTP 500 from …"), sent);
    assertEquals(Verdict.Error, e.verdict());
    assertEquals("GET http://smoke.shop.svc/verdict $.ok", e.query());
    assertEquals("http://smoke.shop.svc/verdict", e.provider());
    assertTrue(!e.toString().contains("s3cret"), "no header value is recorded: " + e);
  }

  @Test
  void argumentsAreFilledInEncodedAndOnlyInTheQueryString() {
    List<String> sent = new ArrayList<>();
    measure(
        metric("http://smoke.shop.svc/verdict?rev={{args.revision}}&svc={{ args.service }}"),
        new QueryOutcome.Value(1),
        sent);
    assertEquals(List.of("http://smoke.shop.svc/verdict?rev=h2+%26x%3D1&svc=shop-canary"), sent);
    IllegalArgumentException refused =
        assertThrows(
            IllegalArgumentException.class,
            () -> metric("http://{{args.service}}.shop.svc/verdict"));
    assertTrue(refused.getMessage().contains("only in the query string"), refused.getMessage());
    assertTrue(ARGS.forSide(Side.CANARY).containsKey("revision"));
  }

  @Test
  void aWebCheckHasAThresholdAndNoProviderOrBaseline() {
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new MetricSpec(
                "smoke",
                new Query.Web(new WebCheck("http://x/y", null, null, null, "$.ok", null)),
                Duration.ofMinutes(1),
                null,
                null,
                Schedule.once(),
                false,
                MetricSource.Web.INSTANCE));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new MetricSpec(
                "smoke",
                new Query.Web(new WebCheck("http://x/y", null, null, null, "$.ok", null)),
                Duration.ofMinutes(1),
                Threshold.atLeast(1),
                null,
                Schedule.once(),
                false,
                PrometheusTarget.at("http://127.0.0.1:9090")));
    assertThrows(
        IllegalArgumentException.class,
        () -> new WebCheck("file:///etc/passwd", null, null, null, "$.ok", null));
  }
}
