package dev.slipway.analysis.judge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.analysis.Verdict;
import dev.slipway.analysis.provider.QueryOutcome;
import dev.slipway.analysis.spec.Baseline;
import dev.slipway.analysis.spec.Better;
import dev.slipway.analysis.spec.MannWhitney;
import dev.slipway.analysis.spec.MetricSpec;
import dev.slipway.analysis.spec.PrometheusTarget;
import dev.slipway.analysis.spec.Query;
import dev.slipway.analysis.spec.Schedule;
import dev.slipway.analysis.spec.Threshold;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class JudgeTest {
  static final PrometheusTarget P = PrometheusTarget.at("http://127.0.0.1:9090");

  static MetricSpec metric(Threshold t, Baseline b) {
    return new MetricSpec(
        "m", new Query.SuccessRate(), Duration.ofMinutes(1), t, b, Schedule.once(), false, P);
  }

  static QueryOutcome v(double x) {
    return new QueryOutcome.Value(x);
  }

  static QueryOutcome samples(double... xs) {
    return new QueryOutcome.Samples(Arrays.stream(xs).boxed().toList());
  }

  static final QueryOutcome NONE = new QueryOutcome.NoData("the query returned no series");
  static final QueryOutcome DOWN =
      new QueryOutcome.Failure("cannot reach http://127.0.0.1:9090: Connection refused");
  static final Threshold MIN99 = Threshold.atLeast(0.99);
  static final Baseline HALF_POINT = new Baseline(Better.HIGHER, 0.005, null, null);
  static final Baseline P99_20PCT = new Baseline(Better.LOWER, null, 0.20, null);
  static final Baseline MW =
      new Baseline(Better.HIGHER, null, null, new MannWhitney(0.05, Duration.ofSeconds(10)));

  static Stream<Arguments> table() {
    return Stream.of(
        // threshold only
        Arguments.of(
            "healthy",
            metric(MIN99, null),
            v(0.999),
            null,
            null,
            null,
            Verdict.Successful,
            "meets"),
        Arguments.of(
            "at the bound",
            metric(MIN99, null),
            v(0.99),
            null,
            null,
            null,
            Verdict.Successful,
            "meets"),
        Arguments.of(
            "5xx-heavy",
            metric(MIN99, null),
            v(0.8),
            null,
            null,
            null,
            Verdict.Failed,
            "outside value >= 0.99"),
        Arguments.of(
            "no data",
            metric(MIN99, null),
            NONE,
            null,
            null,
            null,
            Verdict.Inconclusive,
            "no data"),
        Arguments.of(
            "provider down",
            metric(MIN99, null),
            DOWN,
            null,
            null,
            null,
            Verdict.Error,
            "Connection refused"),
        Arguments.of(
            "+Inf latency fails a max",
            metric(Threshold.atMost(0.5), null),
            v(Double.POSITIVE_INFINITY),
            null,
            null,
            null,
            Verdict.Failed,
            "+Inf"),
        // baseline, absolute
        Arguments.of(
            "as good as stable",
            metric(null, HALF_POINT),
            v(0.995),
            v(0.997),
            null,
            null,
            Verdict.Successful,
            "meets"),
        Arguments.of(
            "better than stable",
            metric(null, HALF_POINT),
            v(1.0),
            v(0.9),
            null,
            null,
            Verdict.Successful,
            "meets"),
        Arguments.of(
            "a point worse",
            metric(null, HALF_POINT),
            v(0.985),
            v(0.995),
            null,
            null,
            Verdict.Failed,
            "worse than stable"),
        Arguments.of(
            "no baseline data",
            metric(null, HALF_POINT),
            v(0.99),
            NONE,
            null,
            null,
            Verdict.Inconclusive,
            "stable baseline: no data"),
        Arguments.of(
            "baseline provider down",
            metric(null, HALF_POINT),
            v(0.99),
            DOWN,
            null,
            null,
            Verdict.Error,
            "stable baseline"),
        // baseline, relative (lower is better)
        Arguments.of(
            "p99 +10%",
            metric(null, P99_20PCT), v(0.22), v(0.2), null, null, Verdict.Successful, "meets"),
        Arguments.of(
            "p99 +50%",
            metric(null, P99_20PCT), v(0.3), v(0.2), null, null, Verdict.Failed, "by 50%"),
        Arguments.of(
            "threshold and baseline both fail",
            metric(MIN99, HALF_POINT),
            v(0.9),
            v(0.999),
            null,
            null,
            Verdict.Failed,
            "outside value >= 0.99; canary"),
        // Mann-Whitney
        Arguments.of(
            "mw: canary clearly worse",
            metric(null, MW),
            v(0.9),
            v(0.99),
            samples(0.90, 0.91, 0.89, 0.9, 0.88),
            samples(0.99, 0.995, 0.99, 0.998, 0.997),
            Verdict.Failed,
            "Mann-Whitney"),
        Arguments.of(
            "mw: canary clearly better",
            metric(null, MW),
            v(0.99),
            v(0.9),
            samples(0.99, 0.995, 0.99, 0.998, 0.997),
            samples(0.90, 0.91, 0.89, 0.9, 0.88),
            Verdict.Successful,
            "meets"),
        Arguments.of(
            "mw: same distribution",
            metric(null, MW),
            v(0.99),
            v(0.99),
            samples(0.99, 0.98, 0.995, 0.97),
            samples(0.985, 0.99, 0.975, 0.99),
            Verdict.Successful,
            "meets"),
        Arguments.of(
            "mw: too few samples",
            metric(null, MW),
            v(0.99),
            v(0.99),
            samples(0.99),
            samples(0.99, 0.98, 0.97),
            Verdict.Inconclusive,
            "too few samples"),
        Arguments.of(
            "mw: no samples",
            metric(null, MW),
            v(0.99),
            v(0.99),
            NONE,
            samples(0.99, 0.98, 0.97),
            Verdict.Inconclusive,
            "canary samples: no data"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void judges(
      String name,
      MetricSpec m,
      QueryOutcome canary,
      QueryOutcome stable,
      QueryOutcome cs,
      QueryOutcome ss,
      Verdict want,
      String reasonPart) {
    Judgement j = Judge.judge(m, canary, stable, cs, ss);
    assertEquals(want, j.verdict(), j.reason());
    assertTrue(j.reason().contains(reasonPart), j.reason());
    if (m.baseline() != null
        && m.baseline().mannWhitney() != null
        && want != Verdict.Inconclusive) {
      assertNotNull(j.pValue(), "the test statistics are recorded");
    }
  }

  @ParameterizedTest(name = "never Successful on {0}")
  @MethodSource("missing")
  void missingDataIsNeverSuccess(String name, QueryOutcome o) {
    for (MetricSpec m :
        List.of(metric(MIN99, null), metric(null, HALF_POINT), metric(Threshold.atMost(1e9), MW))) {
      Verdict v = Judge.judge(m, o, v(1.0), samples(1, 1, 1), samples(1, 1, 1)).verdict();
      assertTrue(v == Verdict.Inconclusive || v == Verdict.Error, name + " gave " + v);
      v = Judge.judge(m, v(1.0), o, samples(1, 1, 1), samples(1, 1, 1)).verdict();
      assertTrue(
          m.baseline() == null || v == Verdict.Inconclusive || v == Verdict.Error,
          name + " (baseline) gave " + v);
    }
  }

  static Stream<Arguments> missing() {
    return Stream.of(
        Arguments.of("no data", NONE), Arguments.of("failure", DOWN), Arguments.of("null", null));
  }
}
