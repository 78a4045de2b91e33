package dev.slipway.analysis.run;

import dev.slipway.analysis.provider.AddressPolicy;
import dev.slipway.analysis.provider.CloudWatchProvider;
import dev.slipway.analysis.provider.DatadogProvider;
import dev.slipway.analysis.provider.HttpTransport;
import dev.slipway.analysis.provider.MetricProvider;
import dev.slipway.analysis.provider.MicronautHttpTransport;
import dev.slipway.analysis.provider.MicronautPrometheusTransport;
import dev.slipway.analysis.provider.NewRelicProvider;
import dev.slipway.analysis.provider.PrometheusProvider;
import dev.slipway.analysis.provider.QueryOutcome;
import dev.slipway.analysis.provider.Resilience;
import dev.slipway.analysis.provider.WebProvider;
import dev.slipway.analysis.spec.CloudWatchTarget;
import dev.slipway.analysis.spec.DatadogTarget;
import dev.slipway.analysis.spec.MetricSource;
import dev.slipway.analysis.spec.NewRelicTarget;
import dev.slipway.analysis.spec.PrometheusTarget;
import dev.slipway.analysis.spec.WebCheck;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The controller's provider clients, all sharing one set of breakers: one HTTP client per distinct
 * Prometheus (address, credentials, headers, TLS), one per CloudWatch target (the SDK signs with
 * its keys), and one shared by web checks, Datadog and New Relic (each call carries its own
 * address, headers and time limit).
 */
public final class ProviderClients implements Providers, AutoCloseable {
  /** The longest time limit a hosted call or web check may set; each call sets its own. */
  private static final Duration LONGEST_CALL = Duration.ofSeconds(30);

  private final Resilience resilience;
  private final Map<PrometheusTarget, Entry> byTarget = new ConcurrentHashMap<>();
  private final Map<MetricSource, MetricProvider> hosted = new ConcurrentHashMap<>();

  private final AddressPolicy webPolicy;
  private volatile HttpTransport http;
  private volatile WebProvider web;

  public ProviderClients(Resilience resilience) {
    this(resilience, AddressPolicy.fromEnvironment());
  }

  /** With the address policy web checks are held to when they are sent (checked again then). */
  public ProviderClients(Resilience resilience, AddressPolicy webPolicy) {
    this.resilience = resilience;
    this.webPolicy = webPolicy;
  }

  @Override
  public QueryOutcome web(WebCheck check) {
    WebProvider w = web;
    if (w == null) {
      synchronized (this) {
        if (web == null) web = new WebProvider(http(), resilience, webPolicy);
        w = web;
      }
    }
    return w.check(check);
  }

  @Override
  public MetricProvider forTarget(MetricSource source) {
    if (source instanceof PrometheusTarget target) {
      return byTarget
          .computeIfAbsent(
              target,
              t -> {
                MicronautPrometheusTransport transport = new MicronautPrometheusTransport(t);
                return new Entry(transport, new PrometheusProvider(t, transport, resilience));
              })
          .provider();
    }
    if (source instanceof DatadogTarget d) {
      return hosted.computeIfAbsent(d, x -> new DatadogProvider(d, http(), resilience));
    }
    if (source instanceof NewRelicTarget n) {
      return hosted.computeIfAbsent(n, x -> new NewRelicProvider(n, http(), resilience));
    }
    if (source instanceof CloudWatchTarget c) {
      return hosted.computeIfAbsent(c, x -> new CloudWatchProvider(c, resilience));
    }
    throw new IllegalArgumentException("a web check is asked through web(), not a provider");
  }

  private HttpTransport http() {
    HttpTransport h = http;
    if (h == null) {
      synchronized (this) {
        if (http == null) http = new MicronautHttpTransport(LONGEST_CALL);
        h = http;
      }
    }
    return h;
  }

  @Override
  public void close() {
    if (http != null) http.close();
    byTarget.values().forEach(e -> e.transport().close());
    byTarget.clear();
    hosted
        .values()
        .forEach(
            p -> {
              if (p instanceof CloudWatchProvider c) c.close();
            });
    hosted.clear();
    resilience.close();
  }

  private record Entry(MicronautPrometheusTransport transport, PrometheusProvider provider) {}
}
