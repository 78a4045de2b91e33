package dev.slipway.analysis.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.analysis.Verdict;
import dev.slipway.analysis.judge.Measurement;
import dev.slipway.analysis.promql.AnalysisArgs;
import dev.slipway.analysis.provider.MetricProvider;
import dev.slipway.analysis.provider.QueryOutcome;
import dev.slipway.analysis.spec.MetricSpec;
import dev.slipway.analysis.spec.PrometheusTarget;
import dev.slipway.analysis.spec.Query;
import dev.slipway.analysis.spec.Schedule;
import dev.slipway.analysis.spec.Threshold;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AnalysisRunTest {
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  static final PrometheusTarget P = PrometheusTarget.at("http://127.0.0.1:9090");
  static final AnalysisArgs ARGS =
      new AnalysisArgs("web", "shop", "s1", "c1", "web-stable", "web-canary", Map.of());

  /** Answers from a script, records every query. */
  static final class Scripted implements MetricProvider {
    final Deque<QueryOutcome> answers = new ArrayDeque<>();
    final List<String> queries = new ArrayList<>();

    Scripted(QueryOutcome... a) {
      answers.addAll(List.of(a));
    }

    @Override
    public QueryOutcome instant(String query, Instant at) {
      queries.add(query);
      return answers.isEmpty() ? new QueryOutcome.Failure("script exhausted") : answers.pop();
    }

    @Override
    public QueryOutcome vector(String query, Instant at) {
      return instant(query, at);
    }

    @Override
    public QueryOutcome range(String query, Instant start, Instant end, Duration step) {
      return instant(query, start);
    }

    @Override
    public String address() {
      return "http://127.0.0.1:9090";
    }
  }

  static MetricSpec sr(Schedule s, boolean dryRun) {
    return new MetricSpec(
        "success-rate",
        new Query.SuccessRate(),
        Duration.ofMinutes(1),
        Threshold.atLeast(0.99),
        null,
        s,
        dryRun,
        P);
  }

  @Test
  void measuresOnScheduleAndSucceedsAfterCount() {
    Scripted prom =
        new Scripted(
            new QueryOutcome.Value(1.0),
            new QueryOutcome.Value(0.995),
            new QueryOutcome.Value(0.999));
    Instant[] now = {T0};
    Clock clock =
        new Clock() {
          public ZoneId getZone() {
            return ZoneOffset.UTC;
          }

          public Clock withZone(ZoneId z) {
            return this;
          }

          public Instant instant() {
            return now[0];
          }
        };
    AnalysisDriver driver = new AnalysisDriver(t -> prom, clock);
    AnalysisRun run =
        AnalysisRun.start(List.of(sr(Schedule.every(Duration.ofSeconds(10), 3), false)), ARGS, T0);

    run = driver.advance(run);
    assertEquals(1, run.of("success-rate").size());
    assertEquals(T0.plusSeconds(10), run.result().nextMeasurementAt());

    now[0] = T0.plusSeconds(5);
    run = driver.advance(run);
    assertEquals(1, run.of("success-rate").size(), "not due yet");

    now[0] = T0.plusSeconds(10);
    run = driver.advance(run);
    now[0] = T0.plusSeconds(20);
    run = driver.advance(run);
    assertEquals(Verdict.Successful, run.result().result().verdict());
    assertNull(run.result().nextMeasurementAt());
    now[0] = T0.plusSeconds(30);
    assertEquals(run, driver.advance(run), "a finished run takes no more measurements");
    Measurement m = run.of("success-rate").get(0);
    assertTrue(m.query().contains("slipway_pod_template_hash=\"c1\""), m.query());
    assertEquals("http://127.0.0.1:9090", m.provider());
    assertEquals("60s", m.window());
  }

  static Measurement taken(String metric, Instant at) {
    return new Measurement(
        metric,
        Verdict.Successful,
        "",
        1.0,
        null,
        "value >= 0.99",
        "q",
        null,
        "60s",
        "p",
        null,
        null,
        at,
        at.plusMillis(30),
        false);
  }

  /**
   * A restarted controller continues a recent run from its record; a stale one, or nothing
   * recognisable, starts afresh.
   */
  @Test
  void resumesARecentRunOnlyAndDropsMetricsNoLongerPlanned() {
    List<MetricSpec> plan = List.of(sr(Schedule.every(Duration.ofSeconds(10), 5), false));
    List<Measurement> recorded =
        List.of(
            taken("success-rate", T0.plusSeconds(1)),
            taken("success-rate", T0.plusSeconds(11)),
            taken("gone-metric", T0.plusSeconds(11)));
    AnalysisRun resumed =
        AnalysisRun.resume(plan, ARGS, T0, recorded, T0.plusSeconds(40)).orElseThrow();
    assertEquals(T0, resumed.startedAt(), "same run id");
    assertEquals(2, resumed.of("success-rate").size());
    assertTrue(resumed.of("gone-metric").isEmpty());
    assertEquals(
        T0.plusSeconds(21),
        resumed.result().nextMeasurementAt(),
        "the schedule goes on from the last measurement");
    // Last measurement at +11 s: 2 x 10 s + 5 min later, it is too old to continue.
    assertTrue(
        AnalysisRun.resume(plan, ARGS, T0, recorded, T0.plusSeconds(11 + 20 + 300)).isPresent());
    assertTrue(
        AnalysisRun.resume(plan, ARGS, T0, recorded, T0.plusSeconds(11 + 20 + 301)).isEmpty());
    assertTrue(AnalysisRun.resume(plan, ARGS, T0, List.of(taken("gone-metric", T0)), T0).isEmpty());
  }

  @Test
  void providerDownEveryTimeIsErrorNeverSuccess() {
    Scripted prom = new Scripted();
    Clock clock = Clock.fixed(T0, ZoneOffset.UTC);
    AnalysisDriver driver = new AnalysisDriver(t -> prom, clock);
    AnalysisRun run =
        AnalysisRun.start(List.of(sr(Schedule.once().withLimits(0, 0, 5), false)), ARGS, T0);
    run = driver.advance(run);
    assertEquals(Verdict.Error, run.result().result().verdict());
  }

  @Test
  void failedMetricEndsTheRunWhileOthersStillRun() {
    MetricSpec slow =
        new MetricSpec(
            "p99",
            new Query.LatencyP99(),
            Duration.ofMinutes(1),
            Threshold.atMost(0.5),
            null,
            Schedule.every(Duration.ofSeconds(10), 5),
            false,
            P);
    AnalysisRun run = AnalysisRun.start(List.of(sr(Schedule.once(), false), slow), ARGS, T0);
    run = run.with(measurement("success-rate", Verdict.Failed));
    assertEquals(Verdict.Failed, run.result().result().verdict());
    assertTrue(run.due(T0.plusSeconds(60)).isEmpty(), "a finished run has nothing due");
  }

  @Test
  void dryRunMetricNeverDecides() {
    AnalysisRun run =
        AnalysisRun.start(
            List.of(
                sr(Schedule.once(), true),
                new MetricSpec(
                    "p99",
                    new Query.LatencyP99(),
                    Duration.ofMinutes(1),
                    Threshold.atMost(0.5),
                    null,
                    Schedule.once(),
                    false,
                    P)),
            ARGS,
            T0);
    run =
        run.with(measurement("success-rate", Verdict.Failed))
            .with(measurement("p99", Verdict.Successful));
    assertEquals(Verdict.Successful, run.result().result().verdict());
    assertEquals(
        Verdict.Failed,
        run.result().metrics().get(0).verdict(),
        "the dry-run verdict is still shown");
  }

  @Test
  void badTemplateIsAnErrorMeasurementNotACrash() {
    MetricSpec bad =
        new MetricSpec(
            "custom",
            new Query.Custom("sum(x) > {{args.n}}"),
            Duration.ofMinutes(1),
            Threshold.atMost(1.0),
            null,
            Schedule.once(),
            false,
            P);
    Scripted prom = new Scripted();
    AnalysisRun run =
        new AnalysisDriver(t -> prom, Clock.fixed(T0, ZoneOffset.UTC))
            .advance(AnalysisRun.start(List.of(bad), ARGS, T0));
    assertEquals(Verdict.Error, run.result().result().verdict());
    assertTrue(
        run.result().result().reason().contains("double-quoted"), run.result().result().reason());
    assertTrue(prom.queries.isEmpty(), "nothing was sent");
  }

  static Measurement measurement(String metric, Verdict v) {
    return new Measurement(
        metric, v, "r", 0.5, null, "", "q", null, "60s", "p", null, null, T0, T0, false);
  }
}
