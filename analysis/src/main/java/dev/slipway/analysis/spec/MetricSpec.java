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
 * @param provider the Prometheus asked; null for a web check (its own provider)
 */
public record MetricSpec(
    String name,
    Query query,
    Duration window,
    Threshold threshold,
    Baseline baseline,
    Schedule schedule,
    boolean dryRun,
    PrometheusTarget provider) {

  public MetricSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(query, "query");
    Objects.requireNonNull(window, "window");
    Objects.requireNonNull(schedule, "schedule");
    if (query instanceof Query.Web) {
      // A web check is its own provider, and has no stable side to compare with.
      if (provider != null || baseline != null || threshold == null) {
        throw new IllegalArgumentException(
            "metric " + name + ": a web check is judged by its threshold alone, with no provider");
      }
    } else {
      Objects.requireNonNull(provider, "provider");
    }
    if (query instanceof Query.Sequential) {
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
}
