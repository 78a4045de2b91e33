package dev.slipway.analysis.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.analysis.Verdict;
import dev.slipway.analysis.judge.Measurement;
import dev.slipway.analysis.promql.AnalysisArgs;
import dev.slipway.analysis.provider.MetricProvider;
import dev.slipway.analysis.provider.QueryOutcome;
import dev.slipway.analysis.spec.Baseline;
import dev.slipway.analysis.spec.Better;
import dev.slipway.analysis.spec.DatadogTarget;
import dev.slipway.analysis.spec.MannWhitney;
import dev.slipway.analysis.spec.MetricSource;
import dev.slipway.analysis.spec.MetricSpec;
import dev.slipway.analysis.spec.NewRelicTarget;
import dev.slipway.analysis.spec.Query;
import dev.slipway.analysis.spec.Schedule;
import dev.slipway.analysis.spec.Threshold;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A hosted provider's metric measured whole: the query rendered for each side in the provider's
 * language, asked over the metric's window, judged like any other, and recorded with the query sent
 * and the provider's address (never its keys). What a hosted provider cannot answer (built-ins, the
 * sequential judge, Mann-Whitney) is refused when the metric is built.
 */
class HostedMeasurementTest {
  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-06T12:00:00Z"), ZoneOffset.UTC);
  static final AnalysisArgs ARGS =
      new AnalysisArgs(
          "shop", "prod", "stable1", "canary2", "shop-stable", "shop-canary", Map.of());
  static final DatadogTarget DATADOG =
      new DatadogTarget(DatadogTarget.site("datadoghq.eu"), null, null, "api-k3y", "app-k3y", null);
  static final NewRelicTarget NEW_RELIC =
      new NewRelicTarget(NewRelicTarget.EU, 42, "NRAK-k3y", null, null);

  static MetricSpec metric(MetricSource source, String query, Baseline baseline) {
    return new MetricSpec(
        "errors",
        new Query.Custom(query),
        Duration.ofMinutes(2),
        Threshold.atMost(0.01),
        baseline,
        Schedule.once(),
        false,
        source);
  }

  /** Answers the canary's query with {@code canary} and any other with {@code stable}. */
  static MetricProvider fake(List<String> asked, double canary, double stable) {
    return new MetricProvider() {
      @Override
      public QueryOutcome value(String query, Instant at, Duration window) {
        asked.add(query + " over " + window);
        return new QueryOutcome.Value(query.contains("canary2") ? canary : stable);
      }

      @Override
      public QueryOutcome instant(String query, Instant at) {
        throw new AssertionError("a hosted metric is asked over its window");
      }

      @Override
      public QueryOutcome vector(String query, Instant at) {
        throw new AssertionError();
      }

      @Override
      public QueryOutcome range(String q, Instant s, Instant e, Duration step) {
        throw new AssertionError();
      }

      @Override
      public String address() {
        return DATADOG.safeAddress();
      }
    };
  }

  @Test
  void aDatadogMetricIsRenderedPerSideAskedOverItsWindowAndJudged() {
    List<String> asked = new ArrayList<>();
    MetricSpec m =
        metric(
            DATADOG,
            "sum:errors{service:shop,version:{{args.revision}}}.as_count()",
            new Baseline(Better.LOWER, 0.002, null, null));
    Measurement good = new Measurer(CLOCK).measure(m, ARGS, fake(asked, 0.004, 0.003));
    assertEquals(Verdict.Successful, good.verdict(), good.reason());
    assertEquals(
        List.of(
            "sum:errors{service:shop,version:canary2}.as_count() over PT2M",
            "sum:errors{service:shop,version:stable1}.as_count() over PT2M"),
        asked);
    assertEquals("sum:errors{service:shop,version:canary2}.as_count()", good.query());
    assertEquals("sum:errors{service:shop,version:stable1}.as_count()", good.baselineQuery());
    assertEquals("https://api.datadoghq.eu", good.provider());
    assertTrue(!good.toString().contains("k3y"));
    Measurement bad = new Measurer(CLOCK).measure(m, ARGS, fake(new ArrayList<>(), 0.009, 0.003));
    assertEquals(Verdict.Failed, bad.verdict(), bad.reason());
  }

  @Test
  void anUnsafeArgIsAnErrorAndNothingIsAsked() {
    List<String> asked = new ArrayList<>();
    MetricSpec m =
        metric(
            NEW_RELIC, "SELECT count(*) FROM Transaction WHERE appName = {{args.service}}", null);
    Measurement e = new Measurer(CLOCK).measure(m, ARGS, fake(asked, 0, 0));
    assertEquals(Verdict.Error, e.verdict());
    assertTrue(e.reason().contains("single-quoted"), e.reason());
    assertEquals(List.of(), asked);
  }

  @Test
  void whatOnlyPrometheusAnswersIsRefusedWithAHostedProvider() {
    IllegalArgumentException builtin =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new MetricSpec(
                    "sr",
                    new Query.SuccessRate(),
                    Duration.ofMinutes(1),
                    Threshold.atLeast(0.99),
                    null,
                    Schedule.once(),
                    false,
                    DATADOG));
    assertTrue(builtin.getMessage().contains("with datadog write the query"), builtin.getMessage());
    IllegalArgumentException mw =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                metric(
                    NEW_RELIC,
                    "SELECT 1",
                    new Baseline(
                        Better.LOWER, 0.1, null, new MannWhitney(0.05, Duration.ofSeconds(10)))));
    assertTrue(mw.getMessage().contains("only a Prometheus"), mw.getMessage());
  }
}
