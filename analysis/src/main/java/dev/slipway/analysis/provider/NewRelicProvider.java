package dev.slipway.analysis.provider;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.slipway.analysis.query.Nrql;
import dev.slipway.analysis.spec.NewRelicTarget;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * New Relic as a {@link MetricProvider}: an NRQL query through NerdGraph, New Relic's GraphQL API,
 * with the user key in the API-Key header. The account and the query travel as GraphQL variables,
 * never spliced into the GraphQL text. The NRQL query says its own window (SINCE); the metric's
 * window is not added to it.
 */
public final class NewRelicProvider extends HostedProvider {
  private static final ObjectMapper JSON = new ObjectMapper();

  static final String GRAPHQL =
      "query($accountId: Int!, $nrql: Nrql!, $timeout: Seconds) { actor { account(id: $accountId)"
          + " { nrql(query: $nrql, timeout: $timeout) { results } } } }";

  private final NewRelicTarget target;
  private final HttpTransport transport;
  private final Resilience resilience;

  public NewRelicProvider(NewRelicTarget target, HttpTransport transport, Resilience resilience) {
    this.target = target;
    this.transport = transport;
    this.resilience = resilience;
  }

  @Override
  public QueryOutcome value(String query, Instant at, Duration window) {
    return ask(query);
  }

  /** The events a count query counted in the interval, which the query gets as SINCE and UNTIL. */
  @Override
  public QueryOutcome count(String query, Instant from, Instant to) {
    try {
      return ask(Nrql.over(query, from, to));
    } catch (IllegalArgumentException e) {
      return new QueryOutcome.Failure(e.getMessage());
    }
  }

  private QueryOutcome ask(String query) {
    ObjectNode body = JSON.createObjectNode().put("query", GRAPHQL);
    body.putObject("variables")
        .put("accountId", target.accountId())
        .put("nrql", query)
        .put("timeout", Math.max(1, target.timeout().toSeconds()));
    HttpCall call =
        new HttpCall(
            "POST",
            target.address(),
            Map.of("API-Key", target.apiKey()),
            body.toString(),
            target.timeout(),
            target.safeAddress());
    return ProviderCalls.ask(
        resilience,
        call.where(),
        target.timeout(),
        () -> transport.send(call),
        answer -> NewRelicResponses.value(answer, target.resultField()));
  }

  @Override
  public String address() {
    return target.safeAddress();
  }
}
