package dev.slipway.analysis.provider;

import dev.slipway.analysis.spec.WebCheck;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import java.net.URI;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * Web checks (issue 30): the address policy first (a refused address is a Failure, and no request
 * is sent), then the request through the same time limit, breaker and retries as Prometheus
 * queries, then the answer read at the check's JSONPath ({@link WebResponses}).
 */
public final class WebProvider implements AutoCloseable {
  private final WebTransport transport;
  private final Resilience resilience;
  private final AddressPolicy policy;

  public WebProvider(WebTransport transport, Resilience resilience, AddressPolicy policy) {
    this.transport = transport;
    this.resilience = resilience;
    this.policy = policy;
  }

  public QueryOutcome check(WebCheck check) {
    URI uri;
    try {
      uri = check.uri();
    } catch (IllegalArgumentException e) {
      return new QueryOutcome.Failure("not a URL: " + check.safeAddress());
    }
    String refused = policy.refusal(uri);
    if (refused != null) {
      return new QueryOutcome.Failure("refused by the address policy, not sent: " + refused);
    }
    String body;
    try {
      body = resilience.call(check.safeAddress(), check.timeout(), () -> transport.send(check));
    } catch (Exception e) {
      return new QueryOutcome.Failure(describe(e, check));
    }
    return WebResponses.value(body, check.jsonPath());
  }

  @Override
  public void close() {
    transport.close();
  }

  private static String describe(Throwable e, WebCheck check) {
    Throwable c = e;
    while ((c instanceof ExecutionException || c instanceof CompletionException)
        && c.getCause() != null) {
      c = c.getCause();
    }
    if (c instanceof TimeoutException) {
      return "no reply from " + check.safeAddress() + " within " + check.timeout();
    }
    if (c instanceof CallNotPermittedException) {
      return "circuit breaker open for " + check.safeAddress() + " after repeated failures";
    }
    if (c instanceof TransportException) return c.getMessage();
    return "request to " + check.safeAddress() + " failed: " + c.getClass().getSimpleName();
  }
}
