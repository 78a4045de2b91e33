package dev.slipway.analysis.prometheus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.analysis.Verdict;
import dev.slipway.analysis.judge.Measurement;
import dev.slipway.analysis.promql.AnalysisArgs;
import dev.slipway.analysis.provider.QueryOutcome;
import dev.slipway.analysis.provider.Resilience;
import dev.slipway.analysis.run.AnalysisDriver;
import dev.slipway.analysis.run.AnalysisRun;
import dev.slipway.analysis.run.Measurer;
import dev.slipway.analysis.run.ProviderClients;
import dev.slipway.analysis.spec.Baseline;
import dev.slipway.analysis.spec.Better;
import dev.slipway.analysis.spec.Credentials;
import dev.slipway.analysis.spec.MannWhitney;
import dev.slipway.analysis.spec.MetricSpec;
import dev.slipway.analysis.spec.PrometheusTarget;
import dev.slipway.analysis.spec.Query;
import dev.slipway.analysis.spec.Schedule;
import dev.slipway.analysis.spec.Threshold;
import dev.slipway.testing.TestTime;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The provider and judge against a real Prometheus that holds backfilled request metrics: a healthy
 * stable, a healthy canary, a 5xx-heavy one, a slow one, and a revision with no traffic.
 */
@Tag("host-tools")
class RealPrometheusTest {
  static final Instant END = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(30);
  static final Duration STEP = Duration.ofSeconds(15);
  static final Duration WINDOW = Duration.ofMinutes(2);

  static PrometheusServer prometheus;
  static ProviderClients providers;

  @BeforeAll
  static void startPrometheus() throws Exception {
    PrometheusServer.requireInstalled();
    Instant from = END.minus(Duration.ofMinutes(15));
    String om =
        new OpenMetrics()
            .add(new OpenMetrics.Traffic("shop", "stable", 20, 0.001, 0.04), from, END, STEP)
            .add(new OpenMetrics.Traffic("shop", "good", 5, 0.001, 0.04), from, END, STEP)
            .add(new OpenMetrics.Traffic("shop", "broken", 5, 0.20, 0.04), from, END, STEP)
            .add(new OpenMetrics.Traffic("shop", "slow", 5, 0.0, 2.0), from, END, STEP)
            .render();
    prometheus = PrometheusServer.withBackfill(om, null);
    providers =
        new ProviderClients(
            new Resilience(
                new Resilience.Settings(2, Duration.ofMillis(50), 10, Duration.ofSeconds(30))));
  }

  @AfterAll
  static void stopPrometheus() throws Exception {
    if (providers != null) providers.close();
    if (prometheus != null) prometheus.close();
  }

  static PrometheusTarget target() {
    return PrometheusTarget.at(prometheus.address()).withTimeout(Duration.ofSeconds(5));
  }

  static AnalysisArgs args(String canary) {
    return new AnalysisArgs("web", "shop", "stable", canary, "web-stable", "web-canary", Map.of());
  }

  static MetricSpec successRate(PrometheusTarget t) {
    return new MetricSpec(
        "success-rate",
        new Query.SuccessRate(),
        WINDOW,
        Threshold.atLeast(0.99),
        null,
        Schedule.once(),
        false,
        t);
  }

  static MetricSpec p99(PrometheusTarget t) {
    return new MetricSpec(
        "latency-p99",
        new Query.LatencyP99(),
        WINDOW,
        Threshold.atMost(0.5),
        null,
        Schedule.once(),
        false,
        t);
  }

  static Measurement measure(MetricSpec m, String canary) {
    return new Measurer(Clock.fixed(END, ZoneOffset.UTC))
        .measure(m, args(canary), providers.forTarget(m.provider()));
  }

  static Verdict analyse(String canary, MetricSpec... metrics) {
    AnalysisRun run = AnalysisRun.start(List.of(metrics), args(canary), END);
    run = new AnalysisDriver(providers, Clock.fixed(END, ZoneOffset.UTC)).advance(run);
    return run.result().result().verdict();
  }

  @Test
  void healthyCanaryIsSuccessful() {
    Measurement sr = measure(successRate(target()), "good");
    assertEquals(Verdict.Successful, sr.verdict(), sr.reason());
    assertEquals(0.999, sr.value(), 1e-6);
    Measurement lat = measure(p99(target()), "good");
    assertEquals(Verdict.Successful, lat.verdict(), lat.reason());
    assertTrue(
        lat.value() > 0.025 && lat.value() <= 0.05, "p99 within the 0.05 bucket: " + lat.value());
    assertEquals(Verdict.Successful, analyse("good", successRate(target()), p99(target())));
  }

  @Test
  void fiveXxHeavyCanaryFails() {
    Measurement sr = measure(successRate(target()), "broken");
    assertEquals(Verdict.Failed, sr.verdict(), sr.reason());
    assertEquals(0.8, sr.value(), 1e-6);
    assertEquals(Verdict.Failed, analyse("broken", successRate(target()), p99(target())));
  }

  @Test
  void slowCanaryFailsOnP99() {
    Measurement lat = measure(p99(target()), "slow");
    assertEquals(Verdict.Failed, lat.verdict(), lat.reason());
    assertTrue(lat.value() > 1.0, "p99 in the 2.5 bucket: " + lat.value());
    assertEquals(Verdict.Failed, analyse("slow", successRate(target()), p99(target())));
  }

  @Test
  void noTrafficIsInconclusive() {
    Measurement sr = measure(successRate(target()), "idle");
    assertEquals(Verdict.Inconclusive, sr.verdict(), sr.reason());
    Measurement lat = measure(p99(target()), "idle");
    assertEquals(Verdict.Inconclusive, lat.verdict(), lat.reason());
    assertEquals(Verdict.Inconclusive, analyse("idle", successRate(target()), p99(target())));
  }

  @Test
  void baselineComparisonAgainstStable() {
    MetricSpec rel =
        new MetricSpec(
            "sr-vs-stable",
            new Query.SuccessRate(),
            WINDOW,
            null,
            new Baseline(Better.HIGHER, 0.005, null, null),
            Schedule.once(),
            false,
            target());
    Measurement good = measure(rel, "good");
    assertEquals(Verdict.Successful, good.verdict(), good.reason());
    assertEquals(0.999, good.baselineValue(), 1e-6);
    assertTrue(
        good.baselineQuery().contains("slipway_pod_template_hash=\"stable\""),
        good.baselineQuery());
    assertEquals(Verdict.Failed, measure(rel, "broken").verdict());
    MetricSpec lat =
        new MetricSpec(
            "p99-vs-stable",
            new Query.LatencyP99(),
            WINDOW,
            null,
            new Baseline(Better.LOWER, null, 0.20, null),
            Schedule.once(),
            false,
            target());
    assertEquals(Verdict.Successful, measure(lat, "good").verdict());
    assertEquals(Verdict.Failed, measure(lat, "slow").verdict());
  }

  @Test
  void mannWhitneyOverRangeSamples() {
    // A custom per-step ratio so the samples vary with each window position.
    MetricSpec mw =
        new MetricSpec(
            "error-share",
            new Query.Custom(
                "sum(rate(http_requests_total{namespace=\"{{args.namespace}}\",slipway_pod_template_hash=\"{{args.revision}}\",code=\"500\"}[1m]))"
                    + " / sum(rate(http_requests_total{namespace=\"{{args.namespace}}\",slipway_pod_template_hash=\"{{args.revision}}\"}[1m]))"),
            Duration.ofMinutes(5),
            null,
            new Baseline(Better.LOWER, null, null, new MannWhitney(0.05, Duration.ofSeconds(15))),
            Schedule.once(),
            false,
            target());
    Measurement broken = measure(mw, "broken");
    assertEquals(Verdict.Failed, broken.verdict(), broken.reason());
    assertNotNull(broken.pValue());
    assertTrue(broken.pValue() < 0.05, "p=" + broken.pValue());
    assertTrue(broken.reason().contains("Mann-Whitney U="), broken.reason());
  }

  /** The exploit a naive substitution allows: it would return vector(1) and pass "value >= 0.5". */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "\"} or vector(1) or {\"",
        "\"",
        "\\",
        "\\\"",
        "a\nb",
        "{}",
        "}",
        ".*",
        "good\"} or vector(1) #"
      })
  void hostileArgsCannotChangeTheQuery(String hostile) {
    MetricSpec custom =
        new MetricSpec(
            "custom",
            new Query.Custom(
                "sum(rate(http_requests_total{slipway_pod_template_hash=\"{{args.pick}}\"}[1m])) > 0 or sum(rate(http_requests_total{slipway_pod_template_hash=~\"{{args.pick}}\"}[1m]))"),
            WINDOW,
            Threshold.atLeast(0.5),
            null,
            Schedule.once(),
            false,
            target());
    AnalysisArgs a =
        new AnalysisArgs("web", "shop", "stable", "x", "s", "c", Map.of("pick", hostile));
    Measurement m =
        new Measurer(Clock.fixed(END, ZoneOffset.UTC))
            .measure(custom, a, providers.forTarget(target()));
    assertEquals(Verdict.Inconclusive, m.verdict(), "query " + m.query() + " gave " + m.reason());
    assertTrue(m.reason().contains("no data"), m.reason());
    // The same template with a real hash does find data: the query itself is sound.
    Measurement control =
        new Measurer(Clock.fixed(END, ZoneOffset.UTC))
            .measure(
                custom,
                new AnalysisArgs("web", "shop", "stable", "x", "s", "c", Map.of("pick", "good")),
                providers.forTarget(target()));
    assertEquals(Verdict.Successful, control.verdict(), control.reason());
  }

  @Test
  void badPromQlIsAnErrorWithPrometheusMessage() {
    MetricSpec bad =
        new MetricSpec(
            "bad",
            new Query.Custom("sum(rate(http_requests_total[1m]"),
            WINDOW,
            Threshold.atLeast(0.5),
            null,
            Schedule.once(),
            false,
            target());
    Measurement m = measure(bad, "good");
    assertEquals(Verdict.Error, m.verdict());
    assertTrue(m.reason().contains("bad_data"), m.reason());
  }

  @Test
  void stoppedPrometheusMidAnalysisIsNeverSuccessful() throws Exception {
    try (PrometheusServer own =
        PrometheusServer.withBackfill(
            new OpenMetrics()
                .add(
                    new OpenMetrics.Traffic("shop", "good", 5, 0.0, 0.04),
                    END.minus(Duration.ofMinutes(15)),
                    END,
                    STEP)
                .render(),
            null)) {
      PrometheusTarget t = PrometheusTarget.at(own.address()).withTimeout(Duration.ofSeconds(2));
      MetricSpec sr =
          new MetricSpec(
              "success-rate",
              new Query.SuccessRate(),
              WINDOW,
              Threshold.atLeast(0.99),
              null,
              Schedule.every(Duration.ofSeconds(10), 3).withLimits(0, 0, 5),
              false,
              t);
      Instant[] now = {END};
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
      AnalysisDriver driver = new AnalysisDriver(providers, clock);
      AnalysisRun run = driver.advance(AnalysisRun.start(List.of(sr), args("good"), END));
      assertEquals(
          Verdict.Successful,
          run.of("success-rate").get(0).verdict(),
          run.of("success-rate").get(0).reason());
      own.stop();
      now[0] = END.plusSeconds(10);
      run = driver.advance(run);
      now[0] = END.plusSeconds(20);
      run = driver.advance(run);
      assertEquals(Verdict.Error, run.of("success-rate").get(1).verdict());
      assertTrue(
          run.of("success-rate").get(1).reason().contains("cannot reach"),
          run.of("success-rate").get(1).reason());
      // One good measurement, then the outage: the error limit (5) forgives blips, not the end of a
      // run.
      Verdict v = run.result().result().verdict();
      assertNotEquals(Verdict.Successful, v);
      assertEquals(Verdict.Error, v, run.result().result().reason());
    }
  }

  @Test
  void slowPrometheusTimesOutAsError() throws Exception {
    // The stub holds every request for a minute (released at the end), far beyond any scaled bound
    // below, so "gave up after its own timeouts" can never be mistaken for "the server answered".
    CountDownLatch release = new CountDownLatch(1);
    try (StubServer slow = new StubServer(ex -> release.await(60, TimeUnit.SECONDS))) {
      PrometheusTarget t = PrometheusTarget.at(slow.address()).withTimeout(Duration.ofMillis(300));
      Instant started = Instant.now();
      QueryOutcome o = providers.forTarget(t).instant("up", END);
      Duration took = Duration.between(started, Instant.now());
      assertTrue(o instanceof QueryOutcome.Failure f && f.why().contains("within"), o.toString());
      // A bound, not a speed target: two 300 ms attempts, scaled on a busy machine (at most 30 s),
      // never the stub's 60 s.
      assertTrue(
          took.compareTo(TestTime.of(Duration.ofSeconds(3))) < 0,
          "two attempts of 300 ms, not the server's hold: " + took);
      assertEquals(Verdict.Error, measure(successRate(t), "good").verdict());
    } finally {
      release.countDown();
    }
  }

  @Test
  void malformedReplyIsError() throws Exception {
    try (StubServer garbled =
        new StubServer(
            ex ->
                StubServer.reply(
                    ex,
                    200,
                    "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"value\":[1,\"twelve\"]}]}}"))) {
      Measurement m = measure(successRate(PrometheusTarget.at(garbled.address())), "good");
      assertEquals(Verdict.Error, m.verdict());
      assertTrue(m.reason().contains("malformed reply"), m.reason());
    }
    try (StubServer html = new StubServer(ex -> StubServer.reply(ex, 200, "<html>login</html>"))) {
      Measurement m = measure(successRate(PrometheusTarget.at(html.address())), "good");
      assertEquals(Verdict.Error, m.verdict());
    }
  }

  @Test
  void credentialsAndHeadersAreSentButNeverRecorded() throws Exception {
    String ok =
        "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{},\"value\":[1,\"1\"]}]}}";
    try (StubServer picky = new StubServer(ex -> StubServer.reply(ex, 200, ok))) {
      PrometheusTarget t =
          new PrometheusTarget(
              URI.create(picky.address()),
              null,
              null,
              Duration.ofSeconds(2),
              new Credentials.Bearer("s3cr3t-token"),
              Map.of("X-Scope-OrgID", "team-a"),
              false,
              null);
      Measurement m = measure(successRate(t), "good");
      assertEquals(Verdict.Successful, m.verdict(), m.reason());
      Map<String, List<String>> h = picky.requestHeaders.get(0);
      assertEquals(List.of("Bearer s3cr3t-token"), h.get("Authorization"));
      assertEquals(List.of("team-a"), h.get("X-scope-orgid"));
      assertFalse(m.toString().contains("s3cr3t"), "a measurement never carries credentials");
      assertFalse(t.toString().contains("s3cr3t"));
    }
  }
}
