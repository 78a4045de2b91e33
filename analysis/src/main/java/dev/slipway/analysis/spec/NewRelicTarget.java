package dev.slipway.analysis.spec;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * New Relic's NerdGraph (GraphQL) API, asked an NRQL query for one account. The user key is
 * resolved by the caller from a Secret and never recorded ({@link #toString()} hides it).
 *
 * @param address the NerdGraph endpoint, https://api.newrelic.com/graphql (US) or
 *     https://api.eu.newrelic.com/graphql (EU), or a proxy
 * @param resultField the result column holding the value; null when the query returns one column
 */
public record NewRelicTarget(
    URI address, long accountId, String apiKey, String resultField, Duration timeout)
    implements MetricSource {

  public static final URI US = URI.create("https://api.newrelic.com/graphql");
  public static final URI EU = URI.create("https://api.eu.newrelic.com/graphql");

  public NewRelicTarget {
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(apiKey, "apiKey");
    if (accountId <= 0) {
      throw new IllegalArgumentException("newRelic accountId must be positive: " + accountId);
    }
    timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
  }

  @Override
  public String safeAddress() {
    return MetricSource.safe(address);
  }

  @Override
  public String kind() {
    return "newRelic";
  }

  @Override
  public String toString() {
    return "NewRelicTarget[" + safeAddress() + ", account " + accountId + ", key redacted]";
  }
}
