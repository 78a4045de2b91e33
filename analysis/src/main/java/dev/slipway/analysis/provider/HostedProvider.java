package dev.slipway.analysis.provider;

import java.time.Duration;
import java.time.Instant;

/**
 * A provider that answers one value per query (Datadog, New Relic): it is asked {@link #value}
 * only. Built-in metrics, the sequential judge and Mann-Whitney need Prometheus's series and
 * ranges, and a metric that asks for them with a hosted provider is refused before it runs.
 */
abstract class HostedProvider implements MetricProvider {
  private static final Duration DEFAULT_WINDOW = Duration.ofMinutes(1);

  @Override
  public abstract QueryOutcome value(String query, Instant at, Duration window);

  @Override
  public QueryOutcome instant(String query, Instant at) {
    return value(query, at, DEFAULT_WINDOW);
  }

  @Override
  public QueryOutcome vector(String query, Instant at) {
    return onlyValues();
  }

  @Override
  public QueryOutcome range(String query, Instant start, Instant end, Duration step) {
    return onlyValues();
  }

  private QueryOutcome onlyValues() {
    return new QueryOutcome.Failure(address() + " answers single values only, not series");
  }
}
