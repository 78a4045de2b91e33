package dev.slipway.analysis.spec;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Datadog's metrics query API. The keys are resolved by the caller from a Secret and never recorded
 * ({@link #toString()} hides them).
 *
 * @param address the API's base URL, {@code https://api.<site>} (e.g. api.datadoghq.eu), or a proxy
 * @param version V1 asks {@code GET /api/v1/query} and reads the series' last point; V2 asks {@code
 *     POST /api/v2/query/scalar} and reads the value the aggregator reduces the window to
 * @param aggregator V2 only: avg, min, max, sum, last, mean, l2norm, area or percentile
 */
public record DatadogTarget(
    URI address, Version version, String aggregator, String apiKey, String appKey, Duration timeout)
    implements MetricSource {

  /** The sites Datadog runs, each served at {@code https://api.<site>}. */
  public static final Set<String> SITES =
      Set.of(
          "datadoghq.com",
          "us3.datadoghq.com",
          "us5.datadoghq.com",
          "datadoghq.eu",
          "ap1.datadoghq.com",
          "ap2.datadoghq.com",
          "ddog-gov.com");

  public static final Set<String> AGGREGATORS =
      Set.of("avg", "min", "max", "sum", "last", "mean", "l2norm", "area", "percentile");

  public enum Version {
    V1,
    V2
  }

  public DatadogTarget {
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(apiKey, "apiKey");
    Objects.requireNonNull(appKey, "appKey");
    version = version == null ? Version.V2 : version;
    aggregator = aggregator == null ? "last" : aggregator.toLowerCase(Locale.ROOT);
    if (!AGGREGATORS.contains(aggregator)) {
      throw new IllegalArgumentException(
          "datadog aggregator " + aggregator + " is not one of " + AGGREGATORS);
    }
    timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
  }

  /** The API address of a Datadog site, e.g. https://api.datadoghq.eu. */
  public static URI site(String site) {
    if (!SITES.contains(site)) {
      throw new IllegalArgumentException("datadog site " + site + " is not one of " + SITES);
    }
    return URI.create("https://api." + site);
  }

  @Override
  public String safeAddress() {
    return MetricSource.safe(address);
  }

  @Override
  public String kind() {
    return "datadog";
  }

  @Override
  public String toString() {
    return "DatadogTarget[" + safeAddress() + ", " + version + ", keys redacted]";
  }
}
