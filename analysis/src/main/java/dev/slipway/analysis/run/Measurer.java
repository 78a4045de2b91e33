package dev.slipway.analysis.run;

import dev.slipway.analysis.Verdict;
import dev.slipway.analysis.judge.Judge;
import dev.slipway.analysis.judge.Judgement;
import dev.slipway.analysis.judge.Measurement;
import dev.slipway.analysis.promql.AnalysisArgs;
import dev.slipway.analysis.promql.BuiltinQueries;
import dev.slipway.analysis.promql.Side;
import dev.slipway.analysis.provider.JobRunner;
import dev.slipway.analysis.provider.MetricProvider;
import dev.slipway.analysis.provider.QueryOutcome;
import dev.slipway.analysis.spec.Baseline;
import dev.slipway.analysis.spec.JobCheck;
import dev.slipway.analysis.spec.MetricSpec;
import dev.slipway.analysis.spec.WebCheck;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * Takes one measurement of one metric: renders its queries, asks the provider, lets the judge
 * decide.
 */
public final class Measurer {
  private final Clock clock;

  public Measurer(Clock clock) {
    this.clock = clock;
  }

  public Measurement measure(MetricSpec m, AnalysisArgs args, MetricProvider provider) {
    Instant started = clock.instant();
    String window = BuiltinQueries.range(m.window());
    String query;
    String baselineQuery = null;
    try {
      query = QueryRendering.render(m, args, Side.CANARY);
      if (m.baseline() != null) baselineQuery = QueryRendering.render(m, args, Side.STABLE);
    } catch (IllegalArgumentException e) {
      return new Measurement(
          m.name(),
          Verdict.Error,
          "query template: " + e.getMessage(),
          null,
          null,
          Judge.condition(m),
          null,
          null,
          window,
          provider.address(),
          null,
          null,
          started,
          clock.instant(),
          m.dryRun());
    }
    QueryOutcome canary = provider.value(query, started, m.window());
    QueryOutcome stable = null;
    QueryOutcome canarySamples = null;
    QueryOutcome stableSamples = null;
    Baseline b = m.baseline();
    if (b != null && !(canary instanceof QueryOutcome.Failure)) {
      stable = provider.value(baselineQuery, started, m.window());
      if (b.mannWhitney() != null
          && canary instanceof QueryOutcome.Value
          && stable instanceof QueryOutcome.Value) {
        Instant from = started.minus(m.window());
        canarySamples = provider.range(query, from, started, b.mannWhitney().step());
        stableSamples = provider.range(baselineQuery, from, started, b.mannWhitney().step());
      }
    }
    Judgement j = Judge.judge(m, canary, stable, canarySamples, stableSamples);
    return new Measurement(
        m.name(),
        j.verdict(),
        j.reason(),
        valueOf(canary),
        valueOf(stable),
        Judge.condition(m),
        query,
        baselineQuery,
        window,
        provider.address(),
        j.mannWhitneyU(),
        j.pValue(),
        started,
        clock.instant(),
        m.dryRun());
  }

  /**
   * One measurement of a web check: its URL's {{args.NAME}} filled in (URL-encoded, so an argument
   * cannot change the address), the request sent through {@code providers}, the answer judged by
   * the threshold.
   */
  public Measurement web(MetricSpec m, WebCheck check, AnalysisArgs args, Providers providers) {
    Instant started = clock.instant();
    WebCheck rendered;
    try {
      rendered = WebUrls.render(check, args.forSide(Side.CANARY));
    } catch (IllegalArgumentException e) {
      return new Measurement(
          m.name(),
          Verdict.Error,
          "url template: " + e.getMessage(),
          null,
          null,
          Judge.condition(m),
          check.describe(),
          null,
          null,
          check.safeAddress(),
          null,
          null,
          started,
          clock.instant(),
          m.dryRun());
    }
    QueryOutcome canary = providers.web(rendered);
    Judgement j = Judge.judge(m, canary, null, null, null);
    return new Measurement(
        m.name(),
        j.verdict(),
        j.reason(),
        valueOf(canary),
        null,
        Judge.condition(m),
        rendered.describe(),
        null,
        null,
        rendered.safeAddress(),
        null,
        null,
        started,
        clock.instant(),
        m.dryRun());
  }

  /**
   * The {@code n}th measurement of a Job check, once its Job is over; nothing while it runs (the
   * metric stays due, and the next pass reads the same Job again). It starts when the Job was
   * created, so the next Job is due an interval after that.
   */
  public Optional<Measurement> job(
      MetricSpec m,
      JobCheck check,
      AnalysisArgs args,
      Instant runStartedAt,
      int n,
      JobRunner jobs) {
    String name = JobNames.of(args, m.name(), runStartedAt, n);
    JobRunner.Observation seen = jobs.observe(new JobRunner.Request(name, m.name(), args, check));
    if (!(seen instanceof JobRunner.Finished f)) return Optional.empty();
    Instant now = clock.instant();
    return Optional.of(
        new Measurement(
            m.name(),
            f.verdict(),
            f.reason(),
            switch (f.verdict()) {
              case Successful -> 1.0;
              case Failed -> 0.0;
              default -> null;
            },
            null,
            Judge.condition(m),
            "Job " + args.namespace() + "/" + name,
            null,
            null,
            m.provider().safeAddress(),
            null,
            null,
            f.createdAt() == null || f.createdAt().isAfter(now) ? now : f.createdAt(),
            now,
            m.dryRun()));
  }

  private static Double valueOf(QueryOutcome o) {
    return o instanceof QueryOutcome.Value v ? v.value() : null;
  }
}
