package dev.slipway.analysis.provider;

import static dev.slipway.analysis.provider.LocalApi.ok;
import static dev.slipway.analysis.provider.LocalApi.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slipway.analysis.spec.DatadogTarget;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Datadog's metrics query API (v1 query, v2 scalar) played on 127.0.0.1 as its reference documents
 * it: the request shape and key headers checked, values read, no data Inconclusive, several series
 * refused, refused keys and query errors an Error without quoting Datadog, 5xx retried, and a 429's
 * wait honoured (or, when too long, not waited out). Not run against Datadog itself.
 */
class DatadogProviderTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final Instant AT = Instant.parse("2026-12-06T10:00:00Z");
  static LocalApi api;
  static MicronautHttpTransport transport;
  static Resilience resilience;

  @BeforeAll
  static void up() throws Exception {
    api = new LocalApi();
    transport = new MicronautHttpTransport(Duration.ofSeconds(5));
    resilience = LocalApi.quickRetries();
  }

  @AfterAll
  static void down() {
    transport.close();
    resilience.close();
    api.close();
  }

  static DatadogProvider provider(DatadogTarget.Version v) {
    return new DatadogProvider(
        new DatadogTarget(
            URI.create(api.base()), v, "avg", "api-k3y", "app-k3y", Duration.ofSeconds(2)),
        transport,
        resilience);
  }

  static final String QUERY =
      "sum:trace.http.request.errors{service:shop,version:abc123}.as_count()";

  @Test
  void v1AsksTheQueryOverTheWindowWithBothKeysAndReadsTheLastPoint() {
    api.answers(
        ok(
            "{\"status\":\"ok\",\"res_type\":\"time_series\",\"series\":[{\"metric\":\"trace.http.request.errors\","
                + "\"pointlist\":[[1733479140000.0,0.5],[1733479170000.0,0.25],[1733479200000.0,null]]}]}"));
    QueryOutcome out = provider(DatadogTarget.Version.V1).value(QUERY, AT, Duration.ofMinutes(2));
    assertEquals(new QueryOutcome.Value(0.25), out);
    LocalApi.Request r = api.requests.get(0);
    assertEquals("GET", r.method());
    assertEquals("/api/v1/query", r.path());
    String q = URLDecoder.decode(r.query(), StandardCharsets.UTF_8);
    assertTrue(q.contains("from=" + AT.minusSeconds(120).getEpochSecond()), q);
    assertTrue(q.contains("to=" + AT.getEpochSecond()), q);
    assertTrue(q.contains("query=" + QUERY), q);
    assertEquals("api-k3y", r.headers().get("DD-API-KEY"));
    assertEquals("app-k3y", r.headers().get("DD-APPLICATION-KEY"));
  }

  @Test
  void v2PostsAScalarRequestAndReadsTheFormulasValue() throws Exception {
    api.answers(
        ok(
            "{\"data\":{\"type\":\"scalar_response\",\"attributes\":{\"columns\":["
                + "{\"name\":\"a\",\"type\":\"number\",\"values\":[0.0125],\"meta\":{\"unit\":null}}]}}}"));
    assertEquals(
        new QueryOutcome.Value(0.0125),
        provider(DatadogTarget.Version.V2).value(QUERY, AT, Duration.ofMinutes(1)));
    LocalApi.Request r = api.requests.get(0);
    assertEquals("POST", r.method());
    assertEquals("/api/v2/query/scalar", r.path());
    assertTrue(r.headers().get("Content-Type").startsWith("application/json"));
    JsonNode a = JSON.readTree(r.body()).path("data");
    assertEquals("scalar_request", a.path("type").asText());
    assertEquals(AT.minusSeconds(60).toEpochMilli(), a.path("attributes").path("from").asLong());
    assertEquals(AT.toEpochMilli(), a.path("attributes").path("to").asLong());
    JsonNode q = a.path("attributes").path("queries").get(0);
    assertEquals("metrics", q.path("data_source").asText());
    assertEquals(QUERY, q.path("query").asText());
    assertEquals("avg", q.path("aggregator").asText());
    assertEquals("a", a.path("attributes").path("formulas").get(0).path("formula").asText());
    assertEquals("api-k3y", r.headers().get("DD-API-KEY"));
    assertEquals("app-k3y", r.headers().get("DD-APPLICATION-KEY"));
  }

  @Test
  void nothingMatchedIsNoDataAndSeveralSeriesAreRefused() {
    DatadogProvider v1 = provider(DatadogTarget.Version.V1);
    DatadogProvider v2 = provider(DatadogTarget.Version.V2);
    api.answers(ok("{\"status\":\"ok\",\"series\":[]}"));
    assertInstanceOf(QueryOutcome.NoData.class, v1.value(QUERY, AT, Duration.ofMinutes(1)));
    api.answers(ok("{\"status\":\"ok\",\"series\":[{\"pointlist\":[[1.0,null]]}]}"));
    assertInstanceOf(QueryOutcome.NoData.class, v1.value(QUERY, AT, Duration.ofMinutes(1)));
    api.answers(ok("{\"status\":\"ok\",\"series\":[{\"pointlist\":[]},{\"pointlist\":[]}]}"));
    QueryOutcome two = v1.value(QUERY, AT, Duration.ofMinutes(1));
    assertTrue(((QueryOutcome.Failure) two).why().contains("2 series"), two.toString());
    api.answers(
        ok(
            "{\"data\":{\"attributes\":{\"columns\":[{\"name\":\"a\",\"type\":\"number\",\"values\":[]}]}}}"));
    assertInstanceOf(QueryOutcome.NoData.class, v2.value(QUERY, AT, Duration.ofMinutes(1)));
    api.answers(
        ok(
            "{\"data\":{\"attributes\":{\"columns\":[{\"name\":\"a\",\"type\":\"number\",\"values\":[null]}]}}}"));
    assertInstanceOf(QueryOutcome.NoData.class, v2.value(QUERY, AT, Duration.ofMinutes(1)));
    api.answers(
        ok(
            "{\"data\":{\"attributes\":{\"columns\":[{\"name\":\"service\",\"type\":\"group\",\"values\":[[\"a\"],[\"b\"]]},"
                + "{\"name\":\"a\",\"type\":\"number\",\"values\":[1,2]}]}}}"));
    QueryOutcome groups = v2.value(QUERY, AT, Duration.ofMinutes(1));
    assertTrue(((QueryOutcome.Failure) groups).why().contains("2 groups"), groups.toString());
  }

  @Test
  void refusedKeysAndBadQueriesAreErrorsThatNeitherRetryNorQuoteDatadog() {
    api.answers(status(403, "{\"errors\":[\"Forbidden: key s3cr3t-echo\"]}"));
    QueryOutcome forbidden =
        provider(DatadogTarget.Version.V2).value(QUERY, AT, Duration.ofMinutes(1));
    String why = ((QueryOutcome.Failure) forbidden).why();
    assertTrue(why.contains("HTTP 403") && why.contains("credentials were refused"), why);
    assertFalse(why.contains("s3cr3t-echo"), why);
    assertEquals(1, api.requests.size(), "a refused key is not retried");
    api.answers(status(400, "{\"errors\":[\"Error parsing query: <script>\"]}"));
    QueryOutcome bad =
        provider(DatadogTarget.Version.V1).value("sum:x{", AT, Duration.ofMinutes(1));
    assertFalse(((QueryOutcome.Failure) bad).why().contains("script"), bad.toString());
    assertEquals(1, api.requests.size());
    api.answers(ok("{\"status\":\"error\",\"error\":\"rate(): bad <b>\"}"));
    QueryOutcome error = provider(DatadogTarget.Version.V1).value(QUERY, AT, Duration.ofMinutes(1));
    assertFalse(((QueryOutcome.Failure) error).why().contains("<b>"), error.toString());
  }

  @Test
  void anOutageIsAnErrorAfterTheRetries() {
    api.answers(status(503, "{\"errors\":[\"down\"]}"));
    QueryOutcome out = provider(DatadogTarget.Version.V2).value(QUERY, AT, Duration.ofMinutes(1));
    assertInstanceOf(QueryOutcome.Failure.class, out);
    assertEquals(3, api.requests.size());
  }

  @Test
  void aRateLimitsWaitIsHonouredAndATooLongOneIsNotWaitedOut() {
    api.answers(
        status(429, "{\"errors\":[\"Rate limit exceeded\"]}", "Retry-After", "1"),
        ok("{\"status\":\"ok\",\"series\":[{\"pointlist\":[[1.0,3.0]]}]}"));
    QueryOutcome out = provider(DatadogTarget.Version.V1).value(QUERY, AT, Duration.ofMinutes(1));
    assertEquals(new QueryOutcome.Value(3.0), out);
    assertEquals(2, api.requests.size());
    long gapMs = (api.requests.get(1).nanos() - api.requests.get(0).nanos()) / 1_000_000;
    assertTrue(gapMs >= 1000, "asked again only after the second it asked for: " + gapMs + " ms");

    api.answers(
        status(
            429,
            "{\"errors\":[\"Rate limit exceeded\"]}",
            "X-RateLimit-Limit",
            "60",
            "X-RateLimit-Period",
            "60",
            "X-RateLimit-Remaining",
            "0",
            "X-RateLimit-Reset",
            "42"));
    QueryOutcome limited =
        provider(DatadogTarget.Version.V1).value(QUERY, AT, Duration.ofMinutes(1));
    String why = ((QueryOutcome.Failure) limited).why();
    assertTrue(why.contains("rate limited") && why.contains("42 s"), why);
    assertEquals(
        1, api.requests.size(), "a 42 s wait is not waited out: the next measurement asks");
  }

  @Test
  void sitesNameTheirApiAndKeysStayOutOfToString() {
    assertEquals(URI.create("https://api.datadoghq.eu"), DatadogTarget.site("datadoghq.eu"));
    assertEquals(
        URI.create("https://api.us5.datadoghq.com"), DatadogTarget.site("us5.datadoghq.com"));
    assertThrows(IllegalArgumentException.class, () -> DatadogTarget.site("evil.example.com"));
    DatadogTarget t =
        new DatadogTarget(
            DatadogTarget.site("datadoghq.com"), null, null, "api-k3y", "app-k3y", null);
    assertFalse(t.toString().contains("k3y"), t.toString());
    assertEquals("https://api.datadoghq.com", t.safeAddress());
  }
}
