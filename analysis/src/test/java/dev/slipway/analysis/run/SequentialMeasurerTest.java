package dev.slipway.analysis.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.analysis.AnalysisResult;
import dev.slipway.analysis.Verdict;
import dev.slipway.analysis.judge.Measurement;
import dev.slipway.analysis.promql.AnalysisArgs;
import dev.slipway.analysis.provider.MetricProvider;
import dev.slipway.analysis.provider.QueryOutcome;
import dev.slipway.analysis.spec.MetricSpec;
import dev.slipway.analysis.spec.PrometheusTarget;
import dev.slipway.analysis.spec.Query;
import dev.slipway.analysis.spec.Schedule;
import dev.slipway.analysis.spec.SequentialSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A sequential metric's looks against a scripted Prometheus that answers each counter query with
 * the series as they stood at the asked time: counts from two reads, a pod restart's reset, a
 * provider failure, and the latency threshold planned from the stable's histogram.
 */
class SequentialMeasurerTest {
  static final Instant T0 = Instant.parse("2026-12-05T12:00:00Z");
  static final PrometheusTarget P = PrometheusTarget.at("http://127.0.0.1:9090");
  static final AnalysisArgs ARGS =
      new AnalysisArgs("web", "shop", "stable1", "canary1", "web-stable", "web-canary", Map.of());

  /** Series by (side hash, second): what a vector query at that second returns. */
  static final class Counters implements MetricProvider {
    final Map<String, Map<Long, List<QueryOutcome.Sample>>> bySide = new HashMap<>();
    final List<String> asked = new ArrayList<>();
    boolean down;
    List<QueryOutcome.Sample> histogram = List.of();

    void at(String hash, long second, QueryOutcome.Sample... samples) {
      bySide.computeIfAbsent(hash, h -> new HashMap<>()).put(second, List.of(samples));
    }

    @Override
    public QueryOutcome vector(String query, Instant at) {
      asked.add(query);
      if (down) return new QueryOutcome.Failure("cannot reach 127.0.0.1:9090");
      if (query.startsWith("sum by (le)")) return new QueryOutcome.Series(histogram);
      String hash = query.contains("\"canary1\"") ? "canary1" : "stable1";
      long s = at.getEpochSecond() - T0.getEpochSecond();
      return new QueryOutcome.Series(
          bySide.getOrDefault(hash, Map.of()).getOrDefault(s, List.of()));
    }

    @Override
    public QueryOutcome instant(String query, Instant at) {
      throw new AssertionError("a sequential look reads series, not values");
    }

    @Override
    public QueryOutcome range(String query, Instant start, Instant end, Duration step) {
      throw new AssertionError("a sequential look reads series, not ranges");
    }

    @Override
    public String address() {
      return "http://127.0.0.1:9090";
    }
  }

  static QueryOutcome.Sample req(String pod, String code, double v) {
    return new QueryOutcome.Sample(Map.of("pod", pod, "code", code), v);
  }

  static Clock at(long second) {
    return Clock.fixed(T0.plusSeconds(second), ZoneOffset.UTC);
  }

  static MetricSpec errors(Duration exposure) {
    SequentialSpec spec =
        new SequentialSpec(
            0.05, 0.8, new SequentialSpec.ErrorTest(0.005), null, exposure, Duration.ofMinutes(10));
    return new MetricSpec(
        "errors",
        new Query.Sequential(spec),
        Duration.ofMinutes(1),
        null,
        null,
        Schedule.every(Duration.ofSeconds(1), 1),
        false,
        P);
  }

  @Test
  void aLookCountsWhatEachSideServedSinceTheLastAndSeesAPodRestart() {
    Counters prom = new Counters();
    prom.at("canary1", 0, req("c-a", "200", 10));
    prom.at("stable1", 0, req("s-a", "200", 1000), req("s-a", "500", 5));
    prom.at("canary1", 1, req("c-a", "200", 30), req("c-a", "500", 1));
    prom.at("stable1", 1, req("s-a", "200", 1080), req("s-a", "500", 5));
    // The canary's pod restarted between the looks: its counters start again from 0.
    prom.at("canary1", 2, req("c-a", "200", 12));
    prom.at("stable1", 2, req("s-a", "200", 1160), req("s-a", "500", 6));
    MetricSpec m = errors(Duration.ofMinutes(5));
    List<Measurement> looks = new ArrayList<>();
    looks.add(new SequentialMeasurer(at(1)).look(m, ARGS, prom, T0, looks));
    looks.add(new SequentialMeasurer(at(2)).look(m, ARGS, prom, T0, looks));
    var first = looks.get(0).look();
    assertEquals(21, first.errorsCanary().trials());
    assertEquals(1, first.errorsCanary().events());
    assertEquals(80, first.errorsBaseline().trials());
    assertEquals(0, first.errorsBaseline().events());
    var second = looks.get(1).look();
    assertEquals(
        12,
        second.errorsCanary().trials(),
        "after the reset, the new count is the increase, not 12 - 31");
    assertEquals(0, second.errorsCanary().events());
    assertEquals(81, second.errorsBaseline().trials());
    assertEquals(T0.plusSeconds(1), second.from(), "each look starts where the previous one ended");
    assertNotNull(second.errorsLogE());
    assertEquals(Verdict.Successful, looks.get(1).verdict(), looks.get(1).reason());
    assertTrue(
        prom.asked
            .get(0)
            .startsWith(
                "http_requests_total{namespace=\"shop\",slipway_pod_template_hash=\"canary1\"}"),
        prom.asked.get(0));
  }

  @Test
  void anUnreachableProviderIsAnErrorLookNotZeroCounts() {
    Counters prom = new Counters();
    prom.down = true;
    Measurement m =
        new SequentialMeasurer(at(1))
            .look(errors(Duration.ofMinutes(5)), ARGS, prom, T0, List.of());
    assertEquals(Verdict.Error, m.verdict());
    assertNull(m.look());
    assertTrue(m.reason().contains("cannot reach"), m.reason());
  }

  @Test
  void aCanaryFailingEveryFifthRequestIsRolledBackWithinSeconds() {
    Counters prom = new Counters();
    for (long s = 0; s <= 10; s++) {
      prom.at("canary1", s, req("c-a", "200", 16 * s), req("c-a", "500", 4 * s));
      prom.at("stable1", s, req("s-a", "200", 80 * s), req("s-a", "500", s / 3));
    }
    MetricSpec m = errors(Duration.ofMinutes(5));
    AnalysisRun run = AnalysisRun.start(List.of(m), ARGS, T0);
    long second = 0;
    while (run.overall().verdict() == Verdict.Running && second < 10) {
      second++;
      run = new AnalysisDriver(target -> prom, at(second)).advance(run);
    }
    AnalysisResult r = run.overall();
    System.out.println(
        "20% 5xx at 20 req/s to the canary: "
            + r.verdict()
            + " after "
            + second
            + " s: "
            + r.reason());
    assertEquals(Verdict.Failed, r.verdict());
    assertTrue(second <= 3, "decided after " + second + " s");
  }

  @Test
  void theLatencyThresholdIsPlannedFromTheStablesHistogramOnce() {
    Counters prom = new Counters();
    prom.histogram =
        List.of(
            new QueryOutcome.Sample(Map.of("le", "0.1"), 900),
            new QueryOutcome.Sample(Map.of("le", "0.25"), 995),
            new QueryOutcome.Sample(Map.of("le", "+Inf"), 1000));
    SequentialSpec spec =
        new SequentialSpec(
            0.05,
            0.8,
            null,
            new SequentialSpec.LatencyTest(0.99, 0.2),
            Duration.ofMinutes(5),
            Duration.ofMinutes(10));
    MetricSpec m =
        new MetricSpec(
            "latency",
            new Query.Sequential(spec),
            Duration.ofMinutes(1),
            null,
            null,
            Schedule.every(Duration.ofSeconds(1), 1),
            false,
            P);
    List<Measurement> looks = new ArrayList<>();
    looks.add(new SequentialMeasurer(at(1)).look(m, ARGS, prom, T0, looks));
    looks.add(new SequentialMeasurer(at(2)).look(m, ARGS, prom, T0, looks));
    assertEquals("0.25", looks.get(0).look().latency().le());
    assertEquals(
        1,
        prom.asked.stream().filter(q -> q.startsWith("sum by (le)")).count(),
        "planned once, then carried by the looks");
    assertTrue(prom.asked.stream().anyMatch(q -> q.contains("le=\"0.25\"")), prom.asked.toString());
  }

  /**
   * A latency-only metric before the stable has a histogram: no plan, so neither e-value exists.
   * The look is inconclusive, not a NullPointerException (a nested ?: used to unbox the null; Error
   * Prone's NullTernary found it).
   */
  @Test
  void aLatencyOnlyLookWithNoHistogramYetIsInconclusiveNotACrash() {
    Counters prom = new Counters();
    SequentialSpec spec =
        new SequentialSpec(
            0.05,
            0.8,
            null,
            new SequentialSpec.LatencyTest(0.99, 0.2),
            Duration.ofMinutes(5),
            Duration.ofMinutes(10));
    MetricSpec m =
        new MetricSpec(
            "latency",
            new Query.Sequential(spec),
            Duration.ofMinutes(1),
            null,
            null,
            Schedule.every(Duration.ofSeconds(1), 1),
            false,
            P);
    Measurement look = new SequentialMeasurer(at(1)).look(m, ARGS, prom, T0, List.of());
    assertEquals(Verdict.Inconclusive, look.verdict(), look.reason());
  }
}
