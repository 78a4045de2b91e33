package dev.slipway.analysis.spec;

import java.time.Duration;
import java.util.Objects;

/**
 * One metric of an analysis, fully resolved (templates merged, provider chosen).
 *
 * @param window the range over which rates and quantiles are taken, e.g. 1m
 * @param threshold range the canary's value must fall in; null when only the baseline matters (and
 *     for sequential metrics)
 * @param baseline comparison with the stable revision; null for none
 * @param dryRun measured and recorded, but never decides the outcome
 * @param provider where the values come from: a Prometheus for built-ins and the sequential judge,
 *     a hosted provider for a custom query in its language or the sequential judge's counts
 *     queries, {@link MetricSource.Web} for a web check
 */
public record MetricSpec(
    String name,
    Query query,
    Duration window,
    Threshold threshold,
    Baseline baseline,
    Schedule schedule,
    boolean dryRun,
    MetricSource provider) {

  public MetricSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(query, "query");
    Objects.requireNonNull(window, "window");
    Objects.requireNonNull(schedule, "schedule");
    Objects.requireNonNull(provider, "provider");
    if ((query instanceof Query.Web) != (provider instanceof MetricSource.Web)) {
      throw new IllegalArgumentException(
          "metric " + name + ": a web check is its own provider, and only a web check is");
    }
    if ((query instanceof Query.Job) != (provider instanceof MetricSource.Job)) {
      throw new IllegalArgumentException(
          "metric " + name + ": a Job check is its own provider, and only a Job check is");
    }
    if (query instanceof Query.Job && (baseline != null || threshold != null)) {
      throw new IllegalArgumentException(
          "metric "
              + name
              + ": a Job check is judged by the Job's outcome: drop threshold and baseline");
    }
    if (query instanceof Query.Web && (baseline != null || threshold == null)) {
      // No stable side to compare with.
      throw new IllegalArgumentException(
          "metric " + name + ": a web check is judged by its threshold alone");
    }
    boolean hostedCounts = query instanceof Query.Sequential q && q.spec().counts() != null;
    if (hostedCounts
        && !(provider instanceof DatadogTarget
            || provider instanceof NewRelicTarget
            || provider instanceof CloudWatchTarget)) {
      throw new IllegalArgumentException(
          "metric "
              + name
              + ": sequential counts queries are asked of Datadog, New Relic or CloudWatch, which"
              + " total events over an interval; "
              + provider.kind()
              + (provider instanceof PrometheusTarget
                  ? " gives its counters through the profile: drop counts"
                  : " cannot"));
    }
    if (!(query instanceof Query.Custom
            || query instanceof Query.Web
            || query instanceof Query.Job
            || hostedCounts)
        && !(provider instanceof PrometheusTarget)) {
      throw new IllegalArgumentException(
          "metric "
              + name
              + ": built-in metrics and the sequential judge are spelled in PromQL and need a"
              + " Prometheus; with "
              + provider.kind()
              + " write the query");
    }
    if (baseline != null
        && baseline.mannWhitney() != null
        && !(provider instanceof PrometheusTarget)) {
      throw new IllegalArgumentException(
          "metric "
              + name
              + ": baseline.mannWhitney compares range samples, which only a Prometheus gives");
    }
    if (query instanceof Query.Sequential || query instanceof Query.Job) {
      if (threshold != null || baseline != null) {
        throw new IllegalArgumentException(
            "metric "
                + name
                + ": a sequential metric is judged against the baseline by its own test; drop threshold and baseline");
      }
    } else if (threshold == null && baseline == null) {
      throw new IllegalArgumentException(
          "metric " + name + " needs a threshold, a baseline, or both");
    }
    if (window.isNegative() || window.isZero()) {
      throw new IllegalArgumentException("metric " + name + ": window must be positive");
    }
  }

  /** The Prometheus of a built-in or sequential metric, which the constructor requires one for. */
  public PrometheusTarget prometheus() {
    if (provider instanceof PrometheusTarget t) return t;
    throw new IllegalStateException(
        "metric " + name + " reads " + provider.kind() + ", not a Prometheus");
  }
}
