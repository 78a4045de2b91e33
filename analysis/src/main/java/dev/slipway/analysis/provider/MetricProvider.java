package dev.slipway.analysis.provider;

import java.time.Duration;
import java.time.Instant;

/**
 * A source of metric values. Implementations never throw: every failure is a {@link
 * QueryOutcome.Failure}.
 */
public interface MetricProvider {

  /** The query's single value at {@code at}. */
  QueryOutcome instant(String query, Instant at);

  /**
   * The query's single value over the window ending at {@code at}. PromQL carries its window in the
   * query, so Prometheus reads it at {@code at}; hosted providers ask for the window's points.
   */
  default QueryOutcome value(String query, Instant at, Duration window) {
    return instant(query, at);
  }

  /**
   * How many events the query counts from {@code from} to {@code to} (the sequential judge's counts
   * from a hosted provider): a {@link QueryOutcome.Value}, NoData when nothing was counted, or a
   * Failure. Providers that cannot total an interval answer a Failure.
   */
  default QueryOutcome count(String query, Instant from, Instant to) {
    return new QueryOutcome.Failure(address() + " cannot total events over an interval");
  }

  /**
   * The granularity of {@link #count}: a provider that totals whole periods (CloudWatch) counts an
   * interval right only when it starts and ends on their bounds, so each look's interval is cut to
   * them. Zero for providers that total any interval.
   */
  default Duration countStep(String query) {
    return Duration.ZERO;
  }

  /**
   * Every series the query selects at {@code at}, with its labels (a {@link QueryOutcome.Series},
   * possibly empty).
   */
  QueryOutcome vector(String query, Instant at);

  /** The query's samples from start to end, one per step. */
  QueryOutcome range(String query, Instant start, Instant end, Duration step);

  /** Where the provider lives, safe to record (no credentials). */
  String address();
}
