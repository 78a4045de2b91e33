package dev.slipway.analysis.spec;

import java.time.Duration;

/**
 * Where a metric's values come from: one provider per metric, chosen in its template (issue 30).
 * Built-in metrics and the sequential judge are spelled in PromQL, so they need a {@link
 * PrometheusTarget}; the hosted providers take a custom query in their own language; a web check is
 * its own source, and so is a Job check.
 */
public sealed interface MetricSource
    permits PrometheusTarget,
        DatadogTarget,
        NewRelicTarget,
        CloudWatchTarget,
        MetricSource.Web,
        MetricSource.Job {

  /** Where the provider lives, as evidence may record it: no credentials, no query string. */
  String safeAddress();

  /**
   * The provider's kind, as written in a template: prometheus, datadog, newRelic, cloudWatch, web.
   */
  String kind();

  /** A web check: the request and where to read its answer are the metric's query. */
  record Web() implements MetricSource {
    public static final Web INSTANCE = new Web();

    @Override
    public String safeAddress() {
      return "web";
    }

    @Override
    public String kind() {
      return "web";
    }

    @Override
    public String toString() {
      return "a web check";
    }
  }

  /** A Job check: the Job's outcome is the measurement, and the Job its own source. */
  record Job() implements MetricSource {
    public static final Job INSTANCE = new Job();

    @Override
    public String safeAddress() {
      return "job";
    }

    @Override
    public String kind() {
      return "job";
    }

    @Override
    public String toString() {
      return "a Job check";
    }
  }

  /** The address as recorded: scheme, host, port and path of {@code uri}. */
  static String safe(java.net.URI uri) {
    return uri.getScheme()
        + "://"
        + uri.getHost()
        + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
        + (uri.getRawPath() == null ? "" : uri.getRawPath());
  }

  /** Default time limit of one attempt for hosted providers, as for Prometheus. */
  Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
}
