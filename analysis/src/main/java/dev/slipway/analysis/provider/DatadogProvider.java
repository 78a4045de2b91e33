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
    HttpCall call =
        target.version() == DatadogTarget.Version.V1
            ? v1(query, at, window)
            : v2(query, at, window);
    return ProviderCalls.ask(
        resilience,
        call.where(),
        target.timeout(),
        () -> transport.send(call),
        target.version() == DatadogTarget.Version.V1 ? DatadogResponses::v1 : DatadogResponses::v2);
  }

  private HttpCall v1(String query, Instant at, Duration window) {
    String params =
        "from="
            + at.minus(window).getEpochSecond()
            + "&to="
            + at.getEpochSecond()
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

  private HttpCall v2(String query, Instant at, Duration window) {
    ObjectNode body = JSON.createObjectNode();
    ObjectNode attributes =
        body.putObject("data").put("type", "scalar_request").putObject("attributes");
    attributes.put("from", at.minus(window).toEpochMilli()).put("to", at.toEpochMilli());
    attributes
        .putArray("queries")
        .addObject()
        .put("data_source", "metrics")
        .put("name", "a")
        .put("query", query)
        .put("aggregator", target.aggregator());
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
