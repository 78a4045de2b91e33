package dev.slipway.analysis.provider;

import dev.slipway.analysis.spec.WebCheck;
import java.net.URI;

/**
 * Web checks (issue 30): the address policy first (a refused address is a Failure, and no request
 * is sent), then the request through the same time limit, breaker and retries as Prometheus
 * queries, then the answer read at the check's JSONPath ({@link WebResponses}). The transport is
 * shared with the hosted providers, and its owner closes it.
 */
public final class WebProvider {
  private final HttpTransport transport;
  private final Resilience resilience;
  private final AddressPolicy policy;

  public WebProvider(HttpTransport transport, Resilience resilience, AddressPolicy policy) {
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
    HttpCall call =
        new HttpCall(
            check.method(),
            uri,
            check.headers(),
            check.body(),
            check.timeout(),
            check.safeAddress());
    return ProviderCalls.ask(
        resilience,
        check.safeAddress(),
        check.timeout(),
        () -> transport.send(call),
        body -> WebResponses.value(body, check.jsonPath()));
  }
}
