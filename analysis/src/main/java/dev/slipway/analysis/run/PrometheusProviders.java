package dev.slipway.analysis.run;

import dev.slipway.analysis.provider.AddressPolicy;
import dev.slipway.analysis.provider.MetricProvider;
import dev.slipway.analysis.provider.MicronautPrometheusTransport;
import dev.slipway.analysis.provider.MicronautWebTransport;
import dev.slipway.analysis.provider.PrometheusProvider;
import dev.slipway.analysis.provider.QueryOutcome;
import dev.slipway.analysis.provider.Resilience;
import dev.slipway.analysis.provider.WebProvider;
import dev.slipway.analysis.spec.PrometheusTarget;
import dev.slipway.analysis.spec.WebCheck;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One HTTP client per distinct target (address, credentials, headers), all sharing one set of
 * breakers.
 */
public final class PrometheusProviders implements Providers, AutoCloseable {
  private final Resilience resilience;
  private final Map<PrometheusTarget, Entry> byTarget = new ConcurrentHashMap<>();

  private final AddressPolicy webPolicy;
  private volatile WebProvider web;

  public PrometheusProviders(Resilience resilience) {
    this(resilience, AddressPolicy.fromEnvironment());
  }

  /** With the address policy web checks are held to when they are sent (checked again then). */
  public PrometheusProviders(Resilience resilience, AddressPolicy webPolicy) {
    this.resilience = resilience;
    this.webPolicy = webPolicy;
  }

  @Override
  public QueryOutcome web(WebCheck check) {
    WebProvider w = web;
    if (w == null) {
      synchronized (this) {
        if (web == null) {
          // One client for every web check: each call sets its own time limit.
          web =
              new WebProvider(
                  new MicronautWebTransport(Duration.ofSeconds(30)), resilience, webPolicy);
        }
        w = web;
      }
    }
    return w.check(check);
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
    if (web != null) web.close();
    byTarget.values().forEach(e -> e.transport().close());
    byTarget.clear();
    resilience.close();
  }

  private record Entry(MicronautPrometheusTransport transport, PrometheusProvider provider) {}
}
