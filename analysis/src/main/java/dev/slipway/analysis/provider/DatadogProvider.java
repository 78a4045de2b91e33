package dev.slipway.analysis.provider;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.slipway.analysis.spec.DatadogTarget;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.Function;

/**
 * Datadog's metrics query API as a {@link MetricProvider}: v1 {@code GET /api/v1/query} (the
 * series' last point) or v2 {@code POST /api/v2/query/scalar} (the window reduced by the
 * aggregator), keys in the DD-API-KEY and DD-APPLICATION-KEY headers. Answers are read by {@link
 * DatadogResponses}.
 */
public final class DatadogProvider extends HostedProvider {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final DatadogTarget target;
  private final HttpTransport transport;
  private final Resilience resilience;

  public DatadogProvider(DatadogTarget target, HttpTransport transport, Resilience resilience) {
    this.target = target;
    this.transport = transport;
    this.resilience = resilience;
  }

  @Override
  public QueryOutcome value(String query, Instant at, Duration window) {
    return ask(query, at.minus(window), at, target.aggregator(), DatadogResponses::v1);
  }

  /**
   * The events an {@code .as_count()} query counted in the interval: v2 reduces the interval with
   * the sum aggregator whatever the metric's aggregator says; v1 sums the points of its one series
   * (each the count of its rollup interval).
   */
  @Override
  public QueryOutcome count(String query, Instant from, Instant to) {
    return ask(query, from, to, "sum", DatadogResponses::v1Sum);
  }

  private QueryOutcome ask(
      String query,
      Instant from,
      Instant to,
      String aggregator,
      Function<String, QueryOutcome> readV1) {
    boolean v1 = target.version() == DatadogTarget.Version.V1;
    HttpCall call = v1 ? v1(query, from, to) : v2(query, from, to, aggregator);
    return ProviderCalls.ask(
        resilience,
        call.where(),
        target.timeout(),
        () -> transport.send(call),
        v1 ? readV1 : DatadogResponses::v2);
  }

  private HttpCall v1(String query, Instant from, Instant to) {
    String params =
        "from="
            + from.getEpochSecond()
            + "&to="
            + to.getEpochSecond()
            + "&query="
            + URLEncoder.encode(query, StandardCharsets.UTF_8);
    return new HttpCall(
        "GET",
        uri("/api/v1/query", params),
        keys(),
        null,
        target.timeout(),
        where("/api/v1/query"));
  }

  private HttpCall v2(String query, Instant from, Instant to, String aggregator) {
    ObjectNode body = JSON.createObjectNode();
    ObjectNode attributes =
        body.putObject("data").put("type", "scalar_request").putObject("attributes");
    attributes.put("from", from.toEpochMilli()).put("to", to.toEpochMilli());
    attributes
        .putArray("queries")
        .addObject()
        .put("data_source", "metrics")
        .put("name", "a")
        .put("query", query)
        .put("aggregator", aggregator);
    attributes.putArray("formulas").addObject().put("formula", "a");
    return new HttpCall(
        "POST",
        uri("/api/v2/query/scalar", null),
        keys(),
        body.toString(),
        target.timeout(),
        where("/api/v2/query/scalar"));
  }

  private Map<String, String> keys() {
    return Map.of("DD-API-KEY", target.apiKey(), "DD-APPLICATION-KEY", target.appKey());
  }

  private URI uri(String path, String query) {
    String base = target.address().toString();
    if (base.endsWith("/")) base = base.substring(0, base.length() - 1);
    return URI.create(base + path + (query == null ? "" : "?" + query));
  }

  private String where(String path) {
    String base = target.safeAddress();
    return (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + path;
  }

  @Override
  public String address() {
    return target.safeAddress();
  }
}
