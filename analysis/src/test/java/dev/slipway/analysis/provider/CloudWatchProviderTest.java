package dev.slipway.analysis.provider;

import static dev.slipway.analysis.provider.LocalApi.ok;
import static dev.slipway.analysis.provider.LocalApi.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.analysis.query.CloudWatchQueries;
import dev.slipway.analysis.spec.CloudWatchTarget;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Amazon CloudWatch's GetMetricData played on 127.0.0.1 as its API reference documents it (the
 * Query protocol the SDK speaks: a signed form POST, an XML answer): every request's SigV4
 * signature recomputed and checked, the queries and window sent, NextToken followed, the latest
 * point read, no data Inconclusive, two returned queries refused, throttling retried, refused keys
 * an Error without quoting AWS. Not run against AWS itself.
 */
class CloudWatchProviderTest {
  static final Instant AT = Instant.parse("2026-12-06T10:00:00Z");
  static final String KEY_ID = "AKIDEXAMPLE";
  static final String SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
  static final String QUERIES =
      CloudWatchQueries.substitute(
          "[{\"id\":\"errors\",\"returnData\":false,\"metricStat\":{\"metric\":{\"namespace\":\"AWS/ApplicationELB\","
              + "\"metricName\":\"HTTPCode_Target_5XX_Count\",\"dimensions\":[{\"name\":\"TargetGroup\",\"value\":\"targetgroup/{{args.service}}/1\"}]},"
              + "\"period\":60,\"stat\":\"Sum\"}},"
              + "{\"id\":\"requests\",\"returnData\":false,\"metricStat\":{\"metric\":{\"namespace\":\"AWS/ApplicationELB\","
              + "\"metricName\":\"RequestCount\",\"dimensions\":[{\"name\":\"TargetGroup\",\"value\":\"targetgroup/{{args.service}}/1\"}]},"
              + "\"period\":60,\"stat\":\"Sum\"}},"
              + "{\"id\":\"ratio\",\"expression\":\"errors / requests\",\"label\":\"error ratio\"}]",
          Map.of("service", "shop-canary"));
  static LocalApi api;
  static Resilience resilience;

  @BeforeAll
  static void up() throws Exception {
    api = new LocalApi();
    resilience = LocalApi.quickRetries();
  }

  @AfterAll
  static void down() {
    resilience.close();
    api.close();
  }

  static CloudWatchProvider provider(String sessionToken) {
    return new CloudWatchProvider(
        new CloudWatchTarget(
            URI.create(api.base()),
            "eu-west-1",
            KEY_ID,
            SECRET,
            sessionToken,
            Duration.ofSeconds(3)),
        resilience);
  }

  static String page(String id, String values, String nextToken) {
    StringBuilder v = new StringBuilder();
    StringBuilder t = new StringBuilder();
    int i = 0;
    for (String x : values.isEmpty() ? new String[0] : values.split(",")) {
      v.append("<member>").append(x).append("</member>");
      t.append("<member>").append(AT.minusSeconds(60L * i++)).append("</member>");
    }
    return "<GetMetricDataResponse xmlns=\"http://monitoring.amazonaws.com/doc/2010-08-01/\"><GetMetricDataResult>"
        + "<MetricDataResults><member><Id>"
        + id
        + "</Id><Label>"
        + id
        + "</Label><Timestamps>"
        + t
        + "</Timestamps><Values>"
        + v
        + "</Values><StatusCode>"
        + (nextToken == null ? "Complete" : "PartialData")
        + "</StatusCode></member></MetricDataResults>"
        + (nextToken == null ? "" : "<NextToken>" + nextToken + "</NextToken>")
        + "<Messages/></GetMetricDataResult><ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata></GetMetricDataResponse>";
  }

  static String error(String code) {
    return "<ErrorResponse xmlns=\"http://monitoring.amazonaws.com/doc/2010-08-01/\"><Error><Type>Sender</Type><Code>"
        + code
        + "</Code><Message>"
        + code
        + ": <script>echo AKIDEXAMPLE</script></Message></Error><RequestId>r-2</RequestId></ErrorResponse>";
  }

  static Map<String, String> form(LocalApi.Request r) {
    Map<String, String> out = new java.util.TreeMap<>();
    for (String kv : r.body().split("&")) {
      String[] p = kv.split("=", 2);
      out.put(
          URLDecoder.decode(p[0], StandardCharsets.UTF_8),
          p.length > 1 ? URLDecoder.decode(p[1], StandardCharsets.UTF_8) : "");
    }
    return out;
  }

  @Test
  void aSignedRequestAsksTheQueriesOverTheWindowAndFollowsNextToken() throws Exception {
    api.answers(ok(page("ratio", "0.004,0.002", "page-2")), ok(page("ratio", "0.001", null)));
    try (CloudWatchProvider p = provider(null)) {
      assertEquals(new QueryOutcome.Value(0.004), p.value(QUERIES, AT, Duration.ofMinutes(5)));
    }
    assertEquals(2, api.requests.size(), "both pages asked");
    for (LocalApi.Request r : api.requests) {
      assertNull(
          SigV4Check.problem(r, KEY_ID, SECRET, "eu-west-1", "monitoring"),
          r.headers().get("Authorization"));
    }
    Map<String, String> first = form(api.requests.get(0));
    assertEquals("GetMetricData", first.get("Action"));
    assertEquals("2010-08-01", first.get("Version"));
    assertEquals(AT.minusSeconds(300).toString(), first.get("StartTime"));
    assertEquals(AT.toString(), first.get("EndTime"));
    assertEquals("TimestampDescending", first.get("ScanBy"));
    assertEquals("errors", first.get("MetricDataQueries.member.1.Id"));
    assertEquals("false", first.get("MetricDataQueries.member.1.ReturnData"));
    assertEquals(
        "targetgroup/shop-canary/1",
        first.get("MetricDataQueries.member.1.MetricStat.Metric.Dimensions.member.1.Value"));
    assertEquals("Sum", first.get("MetricDataQueries.member.2.MetricStat.Stat"));
    assertEquals("errors / requests", first.get("MetricDataQueries.member.3.Expression"));
    assertFalse(first.containsKey("NextToken"));
    assertEquals("page-2", form(api.requests.get(1)).get("NextToken"));
  }

  @Test
  void temporaryKeysSendTheirSessionToken() throws Exception {
    api.answers(ok(page("ratio", "0.5", null)));
    try (CloudWatchProvider p = provider("FwoGZXIvYXdzEXAMPLE")) {
      assertEquals(new QueryOutcome.Value(0.5), p.value(QUERIES, AT, Duration.ofMinutes(1)));
    }
    LocalApi.Request r = api.requests.get(0);
    assertEquals("FwoGZXIvYXdzEXAMPLE", r.headers().get("X-Amz-Security-Token"));
    assertNull(SigV4Check.problem(r, KEY_ID, SECRET, "eu-west-1", "monitoring"));
  }

  @Test
  void noDatapointsIsNoDataAndTwoReturnedQueriesAreRefused() throws Exception {
    try (CloudWatchProvider p = provider(null)) {
      api.answers(ok(page("ratio", "", null)));
      assertInstanceOf(QueryOutcome.NoData.class, p.value(QUERIES, AT, Duration.ofMinutes(1)));
      api.answers(ok(page("errors", "1", "t")), ok(page("ratio", "0.5", null)));
      QueryOutcome two = p.value(QUERIES, AT, Duration.ofMinutes(1));
      assertTrue(((QueryOutcome.Failure) two).why().contains("returnData false"), two.toString());
    }
  }

  @Test
  void throttlingIsRetriedAndRefusedKeysAreAnErrorAtOnceWithoutAwsText() throws Exception {
    try (CloudWatchProvider p = provider(null)) {
      api.answers(status(400, error("Throttling")), ok(page("ratio", "0.25", null)));
      assertEquals(new QueryOutcome.Value(0.25), p.value(QUERIES, AT, Duration.ofMinutes(1)));
      assertEquals(2, api.requests.size());

      api.answers(status(403, error("InvalidClientTokenId")));
      QueryOutcome refused = p.value(QUERIES, AT, Duration.ofMinutes(1));
      String why = ((QueryOutcome.Failure) refused).why();
      assertTrue(why.contains("credentials were refused"), why);
      assertFalse(why.contains("script") || why.contains("AKID"), why);
      assertEquals(1, api.requests.size(), "refused keys are not retried");

      api.answers(status(503, error("ServiceUnavailable")));
      assertInstanceOf(QueryOutcome.Failure.class, p.value(QUERIES, AT, Duration.ofMinutes(1)));
      assertEquals(3, api.requests.size());
    }
  }

  @Test
  void theKeysStayOutOfToString() {
    CloudWatchTarget t =
        new CloudWatchTarget(
            CloudWatchTarget.endpoint("eu-west-1"), "eu-west-1", KEY_ID, SECRET, null, null);
    assertFalse(t.toString().contains(SECRET) || t.toString().contains(KEY_ID), t.toString());
    assertEquals("https://monitoring.eu-west-1.amazonaws.com", t.safeAddress());
    assertEquals(
        URI.create("https://monitoring.cn-north-1.amazonaws.com.cn"),
        CloudWatchTarget.endpoint("cn-north-1"));
  }
}
