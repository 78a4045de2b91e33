package dev.slipway.analysis.run;

import dev.slipway.analysis.judge.Measurement;
import dev.slipway.analysis.spec.MetricSpec;
import dev.slipway.analysis.spec.Query;
import java.time.Clock;

/**
 * Moves a run forward: every due metric is measured once, and the run with the new measurements
 * returned.
 */
public final class AnalysisDriver {
  private final Providers providers;
  private final Measurer measurer;
  private final SequentialMeasurer looks;
  private final Clock clock;

  public AnalysisDriver(Providers providers, Clock clock) {
    this.providers = providers;
    this.measurer = new Measurer(clock);
    this.looks = new SequentialMeasurer(clock);
    this.clock = clock;
  }

  public AnalysisRun advance(AnalysisRun run) {
    AnalysisRun next = run;
    for (MetricSpec m : run.due(clock.instant())) {
      if (m.query() instanceof Query.Job job) {
        // A Job runs across passes: nothing is measured until it is over.
        int n = run.of(m.name()).size();
        next =
            measurer
                .job(m, job.check(), run.args(), run.startedAt(), n, providers.jobs())
                .map(next::with)
                .orElse(next);
        continue;
      }
      Measurement taken =
          m.query() instanceof Query.Sequential
              ? looks.look(
                  m,
                  run.args(),
                  providers.forTarget(m.provider()),
                  run.startedAt(),
                  run.of(m.name()))
              : m.query() instanceof Query.Web web
                  ? measurer.web(m, web.check(), run.args(), providers)
                  : measurer.measure(m, run.args(), providers.forTarget(m.provider()));
      next = next.with(taken);
    }
    return next;
  }
}
