package dev.slipway.analysis.run;

import dev.slipway.analysis.provider.MetricProvider;
import dev.slipway.analysis.provider.MicronautPrometheusTransport;
import dev.slipway.analysis.provider.PrometheusProvider;
import dev.slipway.analysis.provider.Resilience;
import dev.slipway.analysis.spec.PrometheusTarget;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One HTTP client per distinct target (address, credentials, headers), all sharing one set of
 * breakers.
 */
public final class PrometheusProviders implements Providers, AutoCloseable {
  private final Resilience resilience;
  private final Map<PrometheusTarget, Entry> byTarget = new ConcurrentHashMap<>();

  public PrometheusProviders(Resilience resilience) {
    this.resilience = resilience;
  }

  @Override
  public MetricProvider forTarget(PrometheusTarget target) {
    return byTarget
        .computeIfAbsent(
            target,
            t -> {
              MicronautPrometheusTransport transport = new MicronautPrometheusTransport(t);
              return new Entry(transport, new PrometheusProvider(t, transport, resilience));
            })
        .provider();
  }

  @Override
  public void close() {
    byTarget.values().forEach(e -> e.transport().close());
    byTarget.clear();
    resilience.close();
  }

  private record Entry(MicronautPrometheusTransport transport, PrometheusProvider provider) {}
}
