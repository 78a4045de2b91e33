package dev.slipway.e2e.bench.decision;

import dev.slipway.analysis.Verdict;
import dev.slipway.analysis.judge.Judge;
import dev.slipway.analysis.judge.Judgement;
import dev.slipway.analysis.judge.Measurement;
import dev.slipway.analysis.judge.MetricVerdicts;
import dev.slipway.analysis.provider.QueryOutcome;
import dev.slipway.analysis.sequential.Histogram;
import dev.slipway.analysis.spec.Baseline;
import dev.slipway.analysis.spec.Better;
import dev.slipway.analysis.spec.MannWhitney;
import dev.slipway.analysis.spec.MetricSpec;
import dev.slipway.analysis.spec.PrometheusTarget;
import dev.slipway.analysis.spec.Query;
import dev.slipway.analysis.spec.Schedule;
import dev.slipway.analysis.spec.Threshold;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * The threshold rules the sequential judge is compared with, each at the settings its docs show as
 * typical, fed the same simulated seconds:
 *
 * <ul>
 *   <li>Slipway's threshold judge, the production {@link Judge} and {@link MetricVerdicts} with
 *       samples/analysis/templates.yaml's settings: success rate over 1m every 20s, 3 times, at
 *       least 0.99 and at most 0.5 points below stable; P99 over 1m at most 0.5 s and 20% above
 *       stable, with a Mann-Whitney test (alpha 0.05) over 10 s samples; failureLimit 0.
 *   <li>Argo Rollouts' documented background analysis: success rate over 5m every 5m,
 *       successCondition {@code result[0] >= 0.95}, failureLimit 3 (the fourth failure aborts).
 *   <li>Flagger's documented canary: request-success-rate over 1m at least 99% and request-duration
 *       P99 over 1m at most 500 ms, checked every minute, rolled back at the fifth failed check.
 *   <li>A tight threshold: success at least 0.99 over 30 s, checked every 10 s, rolled back on the
 *       first failure (the rule the issue names, which fires on noise).
 * </ul>
 */
final class ThresholdRules {
  private ThresholdRules() {}

  /** Fails at the check where its own count of failed checks passes {@code limit}. */
  static final class Periodic implements Rule {
    private final String name;
    private final int every;
    private final int limit;
    private final int lastCheck;
    private final Check check;
    private int failed;
    private int at = -1;

    interface Check {
      /** Whether the check at second t fails. */
      boolean fails(int t, History canary, History baseline);
    }

    Periodic(String name, int every, int limit, int lastCheck, Check check) {
      this.name = name;
      this.every = every;
      this.limit = limit;
      this.lastCheck = lastCheck;
      this.check = check;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public void after(int t, History canary, History baseline) {
      if (at >= 0 || t % every != 0 || t > lastCheck) return;
      if (check.fails(t, canary, baseline) && ++failed > limit) at = t;
    }

    @Override
    public int rolledBackAt() {
      return at;
    }
  }

  static Rule argoSuccessRate() {
    return new Periodic(
        "Argo Rollouts (success >= 0.95 over 5m, every 5m, failureLimit 3)",
        300,
        3,
        Integer.MAX_VALUE,
        (t, c, b) -> success(c.window(t, 300)) < 0.95);
  }

  static Rule flaggerSuccessRate() {
    return new Periodic(
        "Flagger (success >= 99% over 1m, every 1m, threshold 5)",
        60, 4, Integer.MAX_VALUE, (t, c, b) -> success(c.window(t, 60)) < 0.99);
  }

  static Rule flaggerLatency(double[] bounds) {
    return new Periodic(
        "Flagger (P99 <= 500 ms over 1m, every 1m, threshold 5)",
        60,
        4,
        Integer.MAX_VALUE,
        (t, c, b) -> p99(c, t, 60, bounds) > 0.5);
  }

  static Rule tightSuccessRate() {
    return new Periodic(
        "tight threshold (success >= 0.99 over 30s, every 10s, first failure)",
        10,
        0,
        Integer.MAX_VALUE,
        (t, c, b) -> success(c.window(t, 30)) < 0.99);
  }

  /**
   * A window without requests reads as NaN: no data, which none of these rules counts as a failure
   * here.
   */
  static double success(long[] w) {
    return w[0] == 0 ? Double.NaN : 1 - (double) w[1] / w[0];
  }

  static double p99(History h, int t, int window, double[] bounds) {
    double[] cum = h.cumulativeBuckets(t, window, bounds.length);
    List<Histogram.Bucket> b = new ArrayList<>();
    for (int k = 0; k < bounds.length; k++)
      b.add(new Histogram.Bucket(String.valueOf(bounds[k]), bounds[k], cum[k]));
    return new Histogram(b).quantile(0.99);
  }

  /**
   * Slipway's current judge on the sample template's success-rate metric: the production Judge and
   * MetricVerdicts.
   */
  static Rule slipwaySuccessRate() {
    MetricSpec m =
        new MetricSpec(
            "success-rate",
            new Query.SuccessRate(),
            Duration.ofMinutes(1),
            Threshold.atLeast(0.99),
            new Baseline(Better.HIGHER, 0.005, null, null),
            Schedule.every(Duration.ofSeconds(20), 3),
            false,
            PrometheusTarget.at("http://127.0.0.1:9090"));
    return new SlipwayThreshold(
        "Slipway threshold judge (sample success-rate: >= 0.99 and <= 0.5 pt below stable, 1m, 3 x 20s)",
        m,
        (t, c, b) ->
            Judge.judge(
                m, value(success(c.window(t, 60))), value(success(b.window(t, 60))), null, null));
  }

  /**
   * The sample template's latency-p99 metric: threshold, relative baseline and Mann-Whitney over 10
   * s samples of the 1m P99.
   */
  static Rule slipwayLatency(double[] bounds) {
    MetricSpec m =
        new MetricSpec(
            "latency-p99",
            new Query.LatencyP99(),
            Duration.ofMinutes(1),
            Threshold.atMost(0.5),
            new Baseline(Better.LOWER, null, 0.2, new MannWhitney(0.05, Duration.ofSeconds(10))),
            Schedule.every(Duration.ofSeconds(20), 3),
            false,
            PrometheusTarget.at("http://127.0.0.1:9090"));
    return new SlipwayThreshold(
        "Slipway threshold judge (sample latency-p99: <= 0.5 s, <= 20% above stable, Mann-Whitney; 1m, 3 x 20s)",
        m,
        (t, c, b) ->
            Judge.judge(
                m,
                value(p99(c, t, 60, bounds)),
                value(p99(b, t, 60, bounds)),
                samples(s -> p99(c, s, 60, bounds), t),
                samples(s -> p99(b, s, 60, bounds), t)));
  }

  static QueryOutcome value(double v) {
    return Double.isNaN(v) ? new QueryOutcome.NoData("no requests") : new QueryOutcome.Value(v);
  }

  /** A range query over the last minute at a 10 s step, as the Measurer asks for it. */
  static QueryOutcome samples(IntFunction<Double> at, int t) {
    List<Double> out = new ArrayList<>();
    for (int s = Math.max(1, t - 60); s <= t; s += 10) {
      double v = at.apply(s);
      if (!Double.isNaN(v)) out.add(v);
    }
    return new QueryOutcome.Samples(out);
  }

  /**
   * Measures at the schedule's interval, count times, and rolls back when MetricVerdicts says
   * Failed.
   */
  static final class SlipwayThreshold implements Rule {
    interface Measure {
      Judgement at(int t, History canary, History baseline);
    }

    private final String name;
    private final MetricSpec m;
    private final Measure measure;
    private final List<Measurement> taken = new ArrayList<>();
    private int at = -1;

    SlipwayThreshold(String name, MetricSpec m, Measure measure) {
      this.name = name;
      this.m = m;
      this.measure = measure;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public void after(int t, History canary, History baseline) {
      int every = (int) m.schedule().interval().toSeconds();
      if (at >= 0 || t % every != 0 || taken.size() >= m.schedule().count()) return;
      Judgement j = measure.at(t, canary, baseline);
      Instant when = Instant.ofEpochSecond(t);
      taken.add(
          new Measurement(
              m.name(),
              j.verdict(),
              j.reason(),
              null,
              null,
              "",
              "",
              null,
              "1m",
              "sim",
              null,
              null,
              when,
              when,
              false));
      if (MetricVerdicts.evaluate(m.schedule(), taken).verdict() == Verdict.Failed) at = t;
    }

    @Override
    public int rolledBackAt() {
      return at;
    }
  }
}
