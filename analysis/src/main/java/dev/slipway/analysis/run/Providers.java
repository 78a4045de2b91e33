package dev.slipway.analysis.run;

import dev.slipway.analysis.provider.MetricProvider;
import dev.slipway.analysis.spec.PrometheusTarget;

/** Hands out the provider for a target; the controller caches clients, tests hand in fakes. */
@FunctionalInterface
public interface Providers {
  MetricProvider forTarget(PrometheusTarget target);
}
