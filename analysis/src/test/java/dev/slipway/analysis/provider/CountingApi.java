package dev.slipway.analysis.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Datadog's and New Relic's query APIs answering counts over the interval each request names, from
 * a {@link Counter} (a simulated request stream): Datadog v2 {@code /api/v2/query/scalar} (the
 * aggregator must be sum), v1 {@code /api/v1/query} (one point per second of the interval), and
 * NerdGraph (the NRQL must end in SINCE and UNTIL in epoch milliseconds), and CloudWatch's
 * GetMetricData (one Sum per period, the start rounded down to a period as CloudWatch does; the
 * query it counts is the metric's name and dimension values, "errors" when the name holds 5XX). A
 * count of zero is no data, as these services answer a counter without points.
 */
public final class CountingApi {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern NRQL_WINDOW = Pattern.compile("(.*) SINCE (\\d+) UNTIL (\\d+)$");

  /** The events a query counts from {@code fromMillis} (inclusive) to {@code toMillis}. */
  public interface Counter {
    long count(String query, long fromMillis, long toMillis);
  }

  private CountingApi() {}

  /**
   * Counts from per-second streams that start at {@code start}, each {@code [second][0 requests, 1
   * errors]}: a query counts the canary's when it names {@code canaryRevision}, else the
   * baseline's; errors when it says so ({@code errors} in Datadog's metric name, {@code error IS
   * true} in NRQL), else requests.
   */
  public static Counter perSecond(
      Instant start, String canaryRevision, long[][] canary, long[][] baseline) {
    return (query, from, to) -> {
      long[][] side = query.contains(canaryRevision) ? canary : baseline;
      int column = query.contains("errors") || query.contains("error IS true") ? 1 : 0;
      long n = 0;
      for (int t = 0; t < side.length; t++) {
        long at = start.toEpochMilli() + t * 1000L;
        if (at >= from && at < to) n += side[t][column];
      }
      return n;
    };
  }

  /** Answers each request by its path: Datadog v2, Datadog v1, or NerdGraph. */
  public static Function<LocalApi.Request, LocalApi.Answer> answering(Counter c) {
    return r -> {
      try {
        if (r.path().equals("/api/v2/query/scalar")) return datadogV2(r, c);
        if (r.path().equals("/api/v1/query")) return datadogV1(r, c);
        if (r.body() != null && r.body().contains("Action=GetMetricData")) return cloudWatch(r, c);
        return newRelic(r, c);
      } catch (Exception e) {
        return LocalApi.status(400, "{\"errors\":[\"" + e.getClass().getSimpleName() + "\"]}");
      }
    };
  }

  private static LocalApi.Answer datadogV2(LocalApi.Request r, Counter c) throws Exception {
    JsonNode a = JSON.readTree(r.body()).path("data").path("attributes");
    JsonNode q = a.path("queries").get(0);
    if (!"sum".equals(q.path("aggregator").asText())) {
      return LocalApi.status(400, "{\"errors\":[\"a count is summed\"]}");
    }
    long n = c.count(q.path("query").asText(), a.path("from").asLong(), a.path("to").asLong());
    return LocalApi.ok(
        "{\"data\":{\"type\":\"scalar_response\",\"attributes\":{\"columns\":[{\"name\":\"a\","
            + "\"type\":\"number\",\"values\":["
            + (n == 0 ? "" : n)
            + "]}]}}}");
  }

  private static LocalApi.Answer datadogV1(LocalApi.Request r, Counter c) {
    long from = 0;
    long to = 0;
    String query = null;
    for (String kv : r.query().split("&")) {
      String[] p = kv.split("=", 2);
      String v = URLDecoder.decode(p[1], StandardCharsets.UTF_8);
      switch (p[0]) {
        case "from" -> from = Long.parseLong(v);
        case "to" -> to = Long.parseLong(v);
        case "query" -> query = v;
        default -> {}
      }
    }
    StringBuilder points = new StringBuilder();
    boolean any = false;
    for (long s = from; s < to; s++) {
      long n = c.count(query, s * 1000, (s + 1) * 1000);
      if (n == 0) continue;
      if (any) points.append(',');
      points.append('[').append(s * 1000).append(',').append(n).append(".0]");
      any = true;
    }
    return LocalApi.ok(
        any
            ? "{\"status\":\"ok\",\"series\":[{\"pointlist\":[" + points + "]}]}"
            : "{\"status\":\"ok\",\"series\":[]}");
  }

  private static LocalApi.Answer cloudWatch(LocalApi.Request r, Counter c) {
    java.util.Map<String, String> form = new java.util.TreeMap<>();
    for (String kv : r.body().split("&")) {
      String[] p = kv.split("=", 2);
      form.put(
          URLDecoder.decode(p[0], StandardCharsets.UTF_8),
          p.length > 1 ? URLDecoder.decode(p[1], StandardCharsets.UTF_8) : "");
    }
    String stat = "MetricDataQueries.member.1.MetricStat.";
    String name = form.getOrDefault(stat + "Metric.MetricName", "");
    if (!"Sum".equals(form.get(stat + "Stat"))) {
      return LocalApi.status(
          400, "<ErrorResponse><Error><Code>InvalidParameterValue</Code></Error></ErrorResponse>");
    }
    StringBuilder query = new StringBuilder(name).append(name.contains("5XX") ? " errors" : "");
    for (int i = 1; form.containsKey(stat + "Metric.Dimensions.member." + i + ".Value"); i++) {
      query.append(' ').append(form.get(stat + "Metric.Dimensions.member." + i + ".Value"));
    }
    long period = Long.parseLong(form.getOrDefault(stat + "Period", "60")) * 1000;
    long from = Instant.parse(form.get("StartTime")).toEpochMilli();
    long to = Instant.parse(form.get("EndTime")).toEpochMilli();
    StringBuilder values = new StringBuilder();
    StringBuilder times = new StringBuilder();
    for (long t = Math.floorDiv(from, period) * period; t < to; t += period) {
      long n = c.count(query.toString(), t, t + period);
      if (n == 0) continue;
      values.append("<member>").append(n).append(".0</member>");
      times.append("<member>").append(Instant.ofEpochMilli(t)).append("</member>");
    }
    return LocalApi.ok(
        "<GetMetricDataResponse xmlns=\"http://monitoring.amazonaws.com/doc/2010-08-01/\"><GetMetricDataResult>"
            + "<MetricDataResults><member><Id>"
            + form.get("MetricDataQueries.member.1.Id")
            + "</Id><Timestamps>"
            + times
            + "</Timestamps><Values>"
            + values
            + "</Values><StatusCode>Complete</StatusCode></member></MetricDataResults>"
            + "<Messages/></GetMetricDataResult><ResponseMetadata><RequestId>r-1</RequestId>"
            + "</ResponseMetadata></GetMetricDataResponse>");
  }

  private static LocalApi.Answer newRelic(LocalApi.Request r, Counter c) throws Exception {
    String nrql = JSON.readTree(r.body()).path("variables").path("nrql").asText();
    Matcher m = NRQL_WINDOW.matcher(nrql);
    if (!m.matches()) {
      return LocalApi.ok("{\"errors\":[{\"message\":\"a count names its window\"}]}");
    }
    long n = c.count(m.group(1), Long.parseLong(m.group(2)), Long.parseLong(m.group(3)));
    return LocalApi.ok(
        "{\"data\":{\"actor\":{\"account\":{\"nrql\":{\"results\":[{\"count\":" + n + "}]}}}}}");
  }
}
