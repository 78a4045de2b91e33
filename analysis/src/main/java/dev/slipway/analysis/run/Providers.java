package dev.slipway.analysis.run;

import dev.slipway.analysis.provider.JobRunner;
import dev.slipway.analysis.provider.MetricProvider;
import dev.slipway.analysis.provider.QueryOutcome;
import dev.slipway.analysis.spec.MetricSource;
import dev.slipway.analysis.spec.WebCheck;

/** Hands out the provider for a source; the controller caches clients, tests hand in fakes. */
@FunctionalInterface
public interface Providers {
  /** The provider of a Prometheus or hosted source (a web check is asked through {@link #web}). */
  MetricProvider forTarget(MetricSource source);

  /** A web check's outcome; where no web client is configured, an Error saying so. */
  default QueryOutcome web(WebCheck check) {
    return new QueryOutcome.Failure("web checks are not configured in this controller");
  }

  /** Runs Job checks; where none is configured, each is an Error saying so. */
  default JobRunner jobs() {
    return JobRunner.NONE;
  }

  /** {@code base}, with Job checks run by {@code jobs}. */
  static Providers withJobs(Providers base, JobRunner jobs) {
    return new Providers() {
      @Override
      public MetricProvider forTarget(MetricSource source) {
        return base.forTarget(source);
      }

      @Override
      public QueryOutcome web(WebCheck check) {
        return base.web(check);
      }

      @Override
      public JobRunner jobs() {
        return jobs;
      }
    };
  }
}
