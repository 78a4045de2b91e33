package dev.slipway.analysis.provider;

import dev.slipway.analysis.spec.PrometheusTarget;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
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
    String body;
    try {
      body =
          resilience.call(
              target.safeAddress(), target.timeout(), () -> transport.get(path, params));
    } catch (Exception e) {
      return new QueryOutcome.Failure(describe(e));
    }
    return parse.apply(body);
  }

  private String describe(Throwable e) {
    Throwable c = e;
    while ((c instanceof ExecutionException || c instanceof CompletionException)
        && c.getCause() != null) {
      c = c.getCause();
    }
    if (c instanceof TimeoutException) {
      return "no reply from " + target.safeAddress() + " within " + target.timeout();
    }
    if (c instanceof CallNotPermittedException) {
      return "circuit breaker open for " + target.safeAddress() + " after repeated failures";
    }
    if (c instanceof TransportException) {
      return c.getMessage();
    }
    return "query to " + target.safeAddress() + " failed: " + c.getClass().getSimpleName();
  }
}
