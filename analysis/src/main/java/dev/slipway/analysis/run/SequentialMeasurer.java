package dev.slipway.analysis.run;

import dev.slipway.analysis.Verdict;
import dev.slipway.analysis.judge.Measurement;
import dev.slipway.analysis.promql.AnalysisArgs;
import dev.slipway.analysis.promql.CounterQueries;
import dev.slipway.analysis.promql.Side;
import dev.slipway.analysis.provider.MetricProvider;
import dev.slipway.analysis.provider.QueryOutcome;
import dev.slipway.analysis.sequential.CounterIncrements;
import dev.slipway.analysis.sequential.Counts;
import dev.slipway.analysis.sequential.Histogram;
import dev.slipway.analysis.sequential.MixturePrior;
import dev.slipway.analysis.sequential.SequentialJudge;
import dev.slipway.analysis.sequential.SequentialLook;
import dev.slipway.analysis.spec.MetricSpec;
import dev.slipway.analysis.spec.PrometheusTarget;
import dev.slipway.analysis.spec.Query;
import dev.slipway.analysis.spec.SequentialSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Takes one look of a sequential metric: reads each side's raw counters at the previous look and
 * now, turns them into counts ({@link CounterIncrements}), and lets the judge fold them in. It
 * keeps no state: the previous look's time comes from the run's measurements, so a controller that
 * restarts mid-run reads the same counters again and loses nothing (the next look covers the gap).
 * On the first look of a run with a latency test it plans the threshold from the stable's histogram
 * over the planning window before the run.
 */
public final class SequentialMeasurer {
  private final Clock clock;

  public SequentialMeasurer(Clock clock) {
    this.clock = clock;
  }

  public Measurement look(
      MetricSpec m,
      AnalysisArgs args,
      MetricProvider provider,
      Instant runStart,
      List<Measurement> prior) {
    SequentialSpec spec = ((Query.Sequential) m.query()).spec();
    if (spec.counts() != null) return hostedLook(m, spec, args, provider, runStart, prior);
    PrometheusTarget t = m.prometheus();
    Instant started = clock.instant();
    Instant from = runStart;
    Histogram.LatencyPlan plan = null;
    for (Measurement p : prior) {
      if (p.look() != null) {
        from = p.look().to();
        if (p.look().latency() != null) plan = p.look().latency();
      }
    }
    String condition = condition(spec);
    String queries = describeQueries(spec, t, args);
    try {
      if (spec.latency() != null && plan == null) {
        plan = plan(spec, t, args, provider, runStart);
      }
      Counts[] errors =
          spec.errors() == null ? null : errorCounts(t, args, provider, from, started);
      Counts[] slow =
          spec.latency() == null || plan == null
              ? null
              : slowCounts(t, args, provider, from, started, plan);
      SequentialLook look =
          new SequentialLook(
              from,
              started,
              errors == null ? null : errors[0],
              errors == null ? null : errors[1],
              slow == null ? null : slow[0],
              slow == null ? null : slow[1],
              plan,
              null,
              null);
      boolean anyRequests =
          (errors != null && (errors[0].trials() > 0 || errors[1].trials() > 0))
              || (slow != null && (slow[0].trials() > 0 || slow[1].trials() > 0));
      return judged(m, spec, look, prior, anyRequests, "", condition, queries, provider, started);
    } catch (ProviderFailed e) {
      return failed(m, e, condition, queries, provider, started);
    }
  }

  /**
   * A look of a metric whose counts a hosted provider totals ({@link SequentialSpec.CountQueries}):
   * each side's requests and errors from the previous look's end to {@code ingestDelay} before now.
   */
  private Measurement hostedLook(
      MetricSpec m,
      SequentialSpec spec,
      AnalysisArgs args,
      MetricProvider provider,
      Instant runStart,
      List<Measurement> prior) {
    SequentialSpec.CountQueries c = spec.counts();
    Instant started = clock.instant();
    String condition = condition(spec);
    String[][] rendered = new String[2][];
    String queries;
    try {
      for (Side side : Side.values()) {
        rendered[side == Side.CANARY ? 0 : 1] =
            new String[] {
              QueryRendering.renderCount(m, c.requests(), args, side),
              QueryRendering.renderCount(m, c.errors(), args, side)
            };
      }
      queries = String.join(" ; ", rendered[0]) + " ; " + String.join(" ; ", rendered[1]);
    } catch (IllegalArgumentException e) {
      return failed(
          m,
          new ProviderFailed("the counts queries cannot be rendered: " + e.getMessage()),
          condition,
          c.requests() + " ; " + c.errors(),
          provider,
          started);
    }
    // A provider that totals whole periods is asked for whole periods: the first interval starts
    // on the first bound after the run's start, each ends on the last bound before the ingest
    // delay.
    Duration step = step(provider, rendered);
    Instant from = ceil(runStart, step);
    for (Measurement p : prior) {
      if (p.look() != null) from = p.look().to();
    }
    Instant to = floor(started.minus(c.ingestDelay()), step);
    if (!to.isAfter(from)) {
      // Nothing new is ingested yet: not a look, so the next one starts where the last ended.
      return unjudged(
          m,
          Verdict.Inconclusive,
          "waiting for the provider's ingest delay ("
              + c.ingestDelay().toSeconds()
              + " s"
              + (step.isZero() ? "" : ") and a whole period (" + step.toSeconds() + " s")
              + ") before the next interval",
          condition,
          queries,
          provider,
          started);
    }
    try {
      Counts[] errors = new Counts[2];
      List<String> empty = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        String side = i == 0 ? "canary" : "baseline";
        long requests = count(provider, rendered[i][0], from, to, side + " requests", empty);
        long failed = count(provider, rendered[i][1], from, to, side + " errors", empty);
        errors[i] = counts(requests, failed, i == 0 ? Side.CANARY : Side.STABLE);
      }
      SequentialLook look =
          new SequentialLook(from, to, errors[0], errors[1], null, null, null, null, null);
      boolean anyRequests = errors[0].trials() > 0 || errors[1].trials() > 0;
      String note =
          empty.isEmpty() ? "" : " (no data, read as 0: " + String.join(", ", empty) + ")";
      return judged(m, spec, look, prior, anyRequests, note, condition, queries, provider, started);
    } catch (ProviderFailed e) {
      return failed(m, e, condition, queries, provider, started);
    }
  }

  /** The longest period the provider totals the queries in; zero when any interval will do. */
  private static Duration step(MetricProvider provider, String[][] rendered) {
    Duration step = Duration.ZERO;
    for (String[] side : rendered) {
      for (String q : side) {
        Duration d = provider.countStep(q);
        if (d.compareTo(step) > 0) step = d;
      }
    }
    return step;
  }

  static Instant floor(Instant t, Duration step) {
    if (step.isZero()) return t;
    long ms = step.toMillis();
    return Instant.ofEpochMilli(Math.floorDiv(t.toEpochMilli(), ms) * ms);
  }

  static Instant ceil(Instant t, Duration step) {
    Instant f = floor(t, step);
    return f.equals(t) ? t : f.plus(step);
  }

  /**
   * The stable's requests and errors over an interval, as its counts queries read them.
   *
   * @param window how long the interval counted was (whole periods, for CloudWatch)
   */
  public record StableCounts(long requests, long errors, Duration window) {}

  /**
   * The stable's counts from a hosted provider over {@code from} to {@code to}, for planning a
   * metric with {@link SequentialSpec.CountQueries}.
   *
   * @throws IllegalStateException saying why they could not be read
   */
  public static StableCounts stableCounts(
      MetricSpec m, AnalysisArgs args, MetricProvider provider, Instant from, Instant to) {
    SequentialSpec.CountQueries c = ((Query.Sequential) m.query()).spec().counts();
    try {
      List<String> empty = new ArrayList<>();
      String[] rendered = {
        QueryRendering.renderCount(m, c.requests(), args, Side.STABLE),
        QueryRendering.renderCount(m, c.errors(), args, Side.STABLE)
      };
      // Whole periods for a provider that totals them, as for the looks.
      Duration step = step(provider, new String[][] {rendered});
      Instant start = ceil(from, step);
      Instant end = floor(to, step);
      long requests = count(provider, rendered[0], start, end, "stable requests", empty);
      long errors = count(provider, rendered[1], start, end, "stable errors", empty);
      return new StableCounts(
          requests, errors, end.isAfter(start) ? Duration.between(start, end) : Duration.ZERO);
    } catch (ProviderFailed | IllegalArgumentException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  /**
   * One count: a whole number of events, NoData read as none (a counter without events in the
   * interval has no points) and named in the reason, anything else a failed look.
   */
  private static long count(
      MetricProvider provider,
      String query,
      Instant from,
      Instant to,
      String what,
      List<String> empty)
      throws ProviderFailed {
    QueryOutcome o = provider.count(query, from, to);
    if (o instanceof QueryOutcome.NoData) {
      empty.add(what);
      return 0;
    }
    if (o instanceof QueryOutcome.Failure f) throw new ProviderFailed(f.why());
    if (o instanceof QueryOutcome.Value v) {
      double x = v.value();
      if (!(x >= 0) || Double.isInfinite(x)) {
        throw new ProviderFailed("the " + what + " count is not a count: " + x);
      }
      // Providers that interpolate (Datadog's rollups) may answer 41.9999 for 42.
      return Math.round(x);
    }
    throw new ProviderFailed("unexpected reply to " + query + ": " + o);
  }

  /** The look folded into the metric's e-processes, and the verdict it reaches. */
  private Measurement judged(
      MetricSpec m,
      SequentialSpec spec,
      SequentialLook look,
      List<Measurement> prior,
      boolean anyRequests,
      String note,
      String condition,
      String queries,
      MetricProvider provider,
      Instant started) {
    List<Measurement> all = new ArrayList<>(prior);
    Measurement provisional =
        measurement(m, Verdict.Successful, "", null, condition, queries, provider, started, look);
    all.add(provisional);
    SequentialJudge.State s = SequentialJudge.fold(spec, MixturePrior.DEFAULT, all);
    look =
        look.withLogE(
            s.errors() == null ? null : s.errors().logE(),
            s.latency() == null ? null : s.latency().logE());
    Verdict v;
    String reason;
    if (s.crossing() != null) {
      v = Verdict.Failed;
      reason = s.crossing();
    } else if (!anyRequests) {
      v = Verdict.Inconclusive;
      reason = "no requests on either side since the last look" + note;
    } else {
      v = Verdict.Successful;
      reason = "no regression yet: " + describe(look) + note;
    }
    // Not a nested ?: : its double branch would unbox the null one (an NPE when a look has
    // neither e-value; Error Prone's NullTernary found it).
    Double value = null;
    if (look.errorsLogE() != null) {
      value = Math.exp(look.errorsLogE());
    } else if (look.latencyLogE() != null) {
      value = Math.exp(look.latencyLogE());
    }
    return measurement(m, v, reason, value, condition, queries, provider, started, look);
  }

  private static String condition(SequentialSpec spec) {
    return "e-value below 1/alpha = "
        + SequentialJudge.fmt(1 / spec.alpha())
        + " (sequential test, alpha "
        + SequentialJudge.fmt(spec.alpha())
        + ")";
  }

  private Measurement failed(
      MetricSpec m,
      ProviderFailed e,
      String condition,
      String queries,
      MetricProvider provider,
      Instant started) {
    return unjudged(m, Verdict.Error, e.getMessage(), condition, queries, provider, started);
  }

  /** A measurement without a look: an error, or nothing to count yet. */
  private Measurement unjudged(
      MetricSpec m,
      Verdict v,
      String reason,
      String condition,
      String queries,
      MetricProvider provider,
      Instant started) {
    return measurement(m, v, reason, null, condition, queries, provider, started, null);
  }

  private Measurement measurement(
      MetricSpec m,
      Verdict v,
      String reason,
      Double value,
      String condition,
      String queries,
      MetricProvider provider,
      Instant started,
      SequentialLook look) {
    return new Measurement(
        m.name(),
        v,
        reason,
        value,
        null,
        condition,
        queries,
        null,
        null,
        provider.address(),
        null,
        null,
        started,
        clock.instant(),
        m.dryRun(),
        look);
  }

  /**
   * The threshold from the stable's histogram over the planning window before the run; null when it
   * served nothing then.
   */
  static Histogram.LatencyPlan plan(
      SequentialSpec spec,
      PrometheusTarget t,
      AnalysisArgs args,
      MetricProvider provider,
      Instant runStart)
      throws ProviderFailed {
    String q = CounterQueries.histogram(t, args, Side.STABLE, spec.planningWindow());
    List<QueryOutcome.Sample> series = series(provider, q, runStart);
    if (series.isEmpty()) return null;
    Map<String, Double> byLe = new LinkedHashMap<>();
    for (QueryOutcome.Sample s : series) {
      String le = s.labels().get("le");
      if (le != null) byLe.merge(le, s.value(), Double::sum);
    }
    if (byLe.keySet().stream().noneMatch(le -> le.equals("+Inf"))) return null;
    try {
      return Histogram.of(byLe, CounterQueries.secondsPerUnit(t))
          .plan(spec.latency().quantile(), spec.latency().minDetectableEffect());
    } catch (IllegalArgumentException e) {
      throw new ProviderFailed("the stable's latency histogram cannot be read: " + e.getMessage());
    }
  }

  static Counts[] errorCounts(
      PrometheusTarget t, AnalysisArgs args, MetricProvider provider, Instant from, Instant to)
      throws ProviderFailed {
    Counts[] out = new Counts[2];
    for (Side side : Side.values()) {
      String q = CounterQueries.requests(t, args, side);
      List<QueryOutcome.Sample> before = series(provider, q, from);
      List<QueryOutcome.Sample> after = series(provider, q, to);
      long all = CounterIncrements.between(before, after);
      long errors =
          CounterIncrements.between(before, after, labels -> CounterQueries.serverError(t, labels));
      out[side == Side.CANARY ? 0 : 1] = counts(all, errors, side);
    }
    return out;
  }

  static Counts[] slowCounts(
      PrometheusTarget t,
      AnalysisArgs args,
      MetricProvider provider,
      Instant from,
      Instant to,
      Histogram.LatencyPlan plan)
      throws ProviderFailed {
    Counts[] out = new Counts[2];
    for (Side side : Side.values()) {
      String count = CounterQueries.histogramCount(t, args, side);
      String fast = CounterQueries.bucket(t, args, side, plan.le());
      long all =
          CounterIncrements.between(series(provider, count, from), series(provider, count, to));
      long quick =
          CounterIncrements.between(series(provider, fast, from), series(provider, fast, to));
      // The count and the bucket come from the same scrape of each series; a race between two
      // scrapes can only make the bucket look larger for a moment, never the slow count negative.
      out[side == Side.CANARY ? 0 : 1] = new Counts(all, Math.max(0, Math.min(all, all - quick)));
    }
    return out;
  }

  private static Counts counts(long all, long errors, Side side) throws ProviderFailed {
    if (errors > all) {
      throw new ProviderFailed(
          "the "
              + side.name().toLowerCase(Locale.ROOT)
              + "'s counters are inconsistent: "
              + errors
              + " 5xx of "
              + all
              + " requests");
    }
    return new Counts(all, errors);
  }

  private static List<QueryOutcome.Sample> series(MetricProvider provider, String query, Instant at)
      throws ProviderFailed {
    QueryOutcome o = provider.vector(query, at);
    if (o instanceof QueryOutcome.Series s) return s.samples();
    if (o instanceof QueryOutcome.Failure f) throw new ProviderFailed(f.why());
    throw new ProviderFailed("unexpected reply to " + query + ": " + o);
  }

  static String describeQueries(SequentialSpec spec, PrometheusTarget t, AnalysisArgs args) {
    List<String> q = new ArrayList<>();
    if (spec.errors() != null) {
      q.add(CounterQueries.requests(t, args, Side.CANARY));
      q.add(CounterQueries.requests(t, args, Side.STABLE));
    }
    if (spec.latency() != null) {
      q.add(CounterQueries.histogramCount(t, args, Side.CANARY));
      q.add(CounterQueries.histogramCount(t, args, Side.STABLE));
    }
    return String.join(" ; ", q);
  }

  static String describe(SequentialLook l) {
    List<String> parts = new ArrayList<>();
    if (l.errorsCanary() != null) {
      parts.add(
          String.format(
              Locale.ROOT,
              "5xx canary %d/%d, baseline %d/%d, e-value %s",
              l.errorsCanary().events(),
              l.errorsCanary().trials(),
              l.errorsBaseline().events(),
              l.errorsBaseline().trials(),
              SequentialJudge.fmt(Math.exp(l.errorsLogE()))));
    }
    if (l.slowCanary() != null) {
      parts.add(
          String.format(
              Locale.ROOT,
              "above %s s canary %d/%d, baseline %d/%d, e-value %s",
              SequentialJudge.fmt(l.latency().threshold()),
              l.slowCanary().events(),
              l.slowCanary().trials(),
              l.slowBaseline().events(),
              l.slowBaseline().trials(),
              SequentialJudge.fmt(Math.exp(l.latencyLogE()))));
    }
    return String.join("; ", parts);
  }

  /** A query the look needed could not be answered: the look is an Error, never counted as zero. */
  static final class ProviderFailed extends Exception {
    ProviderFailed(String why) {
      super(why, null, false, false);
    }
  }
}
