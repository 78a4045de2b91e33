package dev.slipway.analysis.provider;

import static dev.slipway.analysis.provider.LocalApi.ok;
import static dev.slipway.analysis.provider.LocalApi.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slipway.analysis.spec.NewRelicTarget;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * New Relic's NerdGraph played on 127.0.0.1 as its documentation describes it: one POST with the
 * user key in API-Key, the NRQL and the account as GraphQL variables; results read (one row, one
 * column or the one named); no rows or a null Inconclusive; GraphQL errors (sent with HTTP 200) and
 * several rows an Error without quoting New Relic; 5xx retried; a 429's wait honoured. Not run
 * against New Relic itself.
 */
class NewRelicProviderTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final Instant AT = Instant.parse("2026-12-06T10:00:00Z");
  static final String NRQL =
      "SELECT percentage(count(*), WHERE httpResponseCode LIKE '5%') FROM Transaction"
          + " WHERE appName = 'shop' SINCE 1 minute ago";
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

  static NewRelicProvider provider(String resultField) {
    return new NewRelicProvider(
        new NewRelicTarget(
            URI.create(api.base() + "/graphql"), 1234567, "NRAK-s3cr3t", resultField, null),
        transport,
        resilience);
  }

  static String results(String rows) {
    return "{\"data\":{\"actor\":{\"account\":{\"nrql\":{\"results\":" + rows + "}}}}}";
  }

  @Test
  void theQueryAndAccountTravelAsVariablesWithTheKeyInItsHeader() throws Exception {
    api.answers(ok(results("[{\"percentage\":0.42}]")));
    assertEquals(
        new QueryOutcome.Value(0.42), provider(null).value(NRQL, AT, Duration.ofMinutes(1)));
    LocalApi.Request r = api.requests.get(0);
    assertEquals("POST", r.method());
    assertEquals("/graphql", r.path());
    assertEquals("NRAK-s3cr3t", r.headers().get("API-Key"));
    JsonNode body = JSON.readTree(r.body());
    assertTrue(body.path("query").asText().contains("nrql(query: $nrql"), r.body());
    assertEquals(1234567, body.path("variables").path("accountId").asLong());
    assertEquals(NRQL, body.path("variables").path("nrql").asText());
    assertFalse(body.path("query").asText().contains("Transaction"), "NRQL never in GraphQL text");
  }

  @Test
  void aNamedColumnIsReadAndAnUnnamedOneMustBeAlone() {
    String row = "[{\"beginTimeSeconds\":1,\"endTimeSeconds\":2,\"errors\":3,\"total\":300}]";
    api.answers(ok(results(row)));
    assertEquals(
        new QueryOutcome.Value(3), provider("errors").value(NRQL, AT, Duration.ofMinutes(1)));
    QueryOutcome unnamed = provider(null).value(NRQL, AT, Duration.ofMinutes(1));
    assertTrue(((QueryOutcome.Failure) unnamed).why().contains("name one"), unnamed.toString());
  }

  @Test
  void noRowsOrANullAreNoDataAndSeveralRowsAreRefused() {
    api.answers(ok(results("[]")));
    assertInstanceOf(
        QueryOutcome.NoData.class, provider(null).value(NRQL, AT, Duration.ofMinutes(1)));
    api.answers(ok(results("[{\"average.duration\":null}]")));
    assertInstanceOf(
        QueryOutcome.NoData.class, provider(null).value(NRQL, AT, Duration.ofMinutes(1)));
    api.answers(ok(results("[{\"facet\":\"a\",\"count\":1},{\"facet\":\"b\",\"count\":2}]")));
    QueryOutcome facets = provider(null).value(NRQL, AT, Duration.ofMinutes(1));
    assertTrue(((QueryOutcome.Failure) facets).why().contains("2 rows"), facets.toString());
  }

  @Test
  void graphQlErrorsComeWithHttp200AndAreErrorsWithoutNewRelicsText() {
    api.answers(
        ok(
            "{\"errors\":[{\"message\":\"NRQL Syntax Error: <img src=x> near 'SELEC'\"}],"
                + "\"data\":{\"actor\":{\"account\":{\"nrql\":null}}}}"));
    QueryOutcome out = provider(null).value("SELEC", AT, Duration.ofMinutes(1));
    String why = ((QueryOutcome.Failure) out).why();
    assertTrue(why.contains("refused the query"), why);
    assertFalse(why.contains("img"), why);
    assertEquals(1, api.requests.size());
    api.answers(status(401, "{\"errors\":[{\"message\":\"Invalid API key NRAK-s3cr3t\"}]}"));
    QueryOutcome key = provider(null).value(NRQL, AT, Duration.ofMinutes(1));
    assertTrue(((QueryOutcome.Failure) key).why().contains("credentials were refused"));
    assertFalse(key.toString().contains("s3cr3t"));
  }

  @Test
  void outagesAreRetriedAndARateLimitsWaitIsHonoured() {
    api.answers(status(502, "bad gateway"));
    assertInstanceOf(
        QueryOutcome.Failure.class, provider(null).value(NRQL, AT, Duration.ofMinutes(1)));
    assertEquals(3, api.requests.size());
    api.answers(status(429, "{}", "Retry-After", "1"), ok(results("[{\"count\":7}]")));
    assertEquals(new QueryOutcome.Value(7), provider(null).value(NRQL, AT, Duration.ofMinutes(1)));
    long gapMs = (api.requests.get(1).nanos() - api.requests.get(0).nanos()) / 1_000_000;
    assertTrue(gapMs >= 1000, gapMs + " ms");
  }
}
