package dev.slipway.analysis.provider;

import dev.slipway.analysis.spec.PrometheusTarget;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.Function;

/**
 * Prometheus as a {@link MetricProvider}: request shapes, transport and reply parsing are separate
 * parts.
 */
public final class PrometheusProvider implements MetricProvider {
  private final PrometheusTarget target;
  private final PrometheusTransport transport;
  private final Resilience resilience;

  public PrometheusProvider(
      PrometheusTarget target, PrometheusTransport transport, Resilience resilience) {
    this.target = target;
    this.transport = transport;
    this.resilience = resilience;
  }

  @Override
  public QueryOutcome instant(String query, Instant at) {
    return ask(
        PrometheusRequests.INSTANT,
        PrometheusRequests.instant(query, at, target.timeout()),
        PrometheusResponses::instant);
  }

  @Override
  public QueryOutcome vector(String query, Instant at) {
    return ask(
        PrometheusRequests.INSTANT,
        PrometheusRequests.instant(query, at, target.timeout()),
        PrometheusResponses::vector);
  }

  @Override
  public QueryOutcome range(String query, Instant start, Instant end, Duration step) {
    return ask(
        PrometheusRequests.RANGE,
        PrometheusRequests.range(query, start, end, step, target.timeout()),
        PrometheusResponses::range);
  }

  @Override
  public String address() {
    return target.safeAddress();
  }

  private QueryOutcome ask(
      String path, Map<String, String> params, Function<String, QueryOutcome> parse) {
    return ProviderCalls.ask(
        resilience,
        target.safeAddress(),
        target.timeout(),
        () -> transport.get(path, params),
        parse);
  }
}
