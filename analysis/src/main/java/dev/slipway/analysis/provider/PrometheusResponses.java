package dev.slipway.analysis.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads Prometheus API replies. Anything unexpected is a Failure that says what was wrong; an
 * empty result or NaN is NoData. Neither can be mistaken for a value.
 */
final class PrometheusResponses {
  private static final ObjectMapper JSON = new ObjectMapper();

  private PrometheusResponses() {}

  static QueryOutcome instant(String body) {
    try {
      JsonNode data = data(body);
      String type = data.path("resultType").asText("");
      JsonNode result = data.get("result");
      switch (type) {
        case "scalar":
          return value(result);
        case "vector": {
          if (result == null || !result.isArray()) return malformed("vector result is not a list");
          if (result.isEmpty()) return new QueryOutcome.NoData("the query returned no series");
          if (result.size() > 1) {
            return new QueryOutcome.Failure("the query returned " + result.size()
                + " series; it must reduce to one (wrap it in sum() or similar)");
          }
          return value(result.get(0).get("value"));
        }
        default:
          return malformed("unexpected resultType '" + type + "' for an instant query");
      }
    } catch (Malformed e) {
      return malformed(e.getMessage());
    }
  }

  /** A vector with each series' labels; NaN samples are dropped (a counter is never NaN). */
  static QueryOutcome vector(String body) {
    try {
      JsonNode data = data(body);
      if (!"vector".equals(data.path("resultType").asText(""))) {
        return malformed("unexpected resultType '" + data.path("resultType").asText("") + "' for a series query");
      }
      JsonNode result = data.get("result");
      if (result == null || !result.isArray()) return malformed("vector result is not a list");
      List<QueryOutcome.Sample> out = new ArrayList<>();
      for (JsonNode series : result) {
        Map<String, String> labels = new TreeMap<>();
        JsonNode metric = series.get("metric");
        if (metric != null && metric.isObject()) {
          metric.fields().forEachRemaining(f -> labels.put(f.getKey(), f.getValue().asText()));
        }
        double v = number(series.get("value"));
        if (!Double.isNaN(v)) out.add(new QueryOutcome.Sample(labels, v));
      }
      return new QueryOutcome.Series(out);
    } catch (Malformed e) {
      return malformed(e.getMessage());
    }
  }

  static QueryOutcome range(String body) {
    try {
      JsonNode data = data(body);
      if (!"matrix".equals(data.path("resultType").asText(""))) {
        return malformed("unexpected resultType '" + data.path("resultType").asText("") + "' for a range query");
      }
      JsonNode result = data.get("result");
      if (result == null || !result.isArray()) return malformed("matrix result is not a list");
      if (result.isEmpty()) return new QueryOutcome.NoData("the query returned no series");
      if (result.size() > 1) {
        return new QueryOutcome.Failure("the query returned " + result.size() + " series; it must reduce to one");
      }
      JsonNode values = result.get(0).get("values");
      if (values == null || !values.isArray()) return malformed("series has no values");
      List<Double> out = new ArrayList<>();
      for (JsonNode pair : values) {
        double v = number(pair);
        if (!Double.isNaN(v)) out.add(v);
      }
      return out.isEmpty() ? new QueryOutcome.NoData("every sample was NaN") : new QueryOutcome.Samples(out);
    } catch (Malformed e) {
      return malformed(e.getMessage());
    }
  }

  private static JsonNode data(String body) throws Malformed {
    if (body == null || body.isBlank()) throw new Malformed("reply is empty");
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (Exception e) {
      throw new Malformed("reply is not JSON");
    }
    if (root == null || !root.isObject()) throw new Malformed("reply is not a JSON object");
    String status = root.path("status").asText("");
    if ("error".equals(status)) {
      throw new Rejected(UpstreamText.clean(root.path("errorType").asText("error")) + ": " + UpstreamText.clean(root.path("error").asText("")));
    }
    if (!"success".equals(status)) throw new Malformed("reply status is '" + status + "'");
    JsonNode data = root.get("data");
    if (data == null || !data.isObject()) throw new Malformed("reply has no data");
    return data;
  }

  private static QueryOutcome value(JsonNode pair) throws Malformed {
    double v = number(pair);
    return Double.isNaN(v) ? new QueryOutcome.NoData("the value is NaN (no requests in the window)") : new QueryOutcome.Value(v);
  }

  private static double number(JsonNode pair) throws Malformed {
    if (pair == null || !pair.isArray() || pair.size() != 2 || !pair.get(1).isTextual()) {
      throw new Malformed("sample is not [time, \"value\"]");
    }
    String s = pair.get(1).asText();
    switch (s) {
      case "NaN":
        return Double.NaN;
      case "+Inf":
        return Double.POSITIVE_INFINITY;
      case "-Inf":
        return Double.NEGATIVE_INFINITY;
      default:
        try {
          return Double.parseDouble(s);
        } catch (NumberFormatException e) {
          throw new Malformed("sample value '" + abbreviate(s) + "' is not a number");
        }
    }
  }

  private static QueryOutcome malformed(String why) {
    String text = UpstreamText.clean(why);
    return new QueryOutcome.Failure(text.startsWith("prometheus refused") ? text : "malformed reply: " + text);
  }

  private static String abbreviate(String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "...";
  }

  private static class Malformed extends Exception {
    Malformed(String m) {
      super(m, null, false, false);
    }
  }

  private static final class Rejected extends Malformed {
    Rejected(String m) {
      super("prometheus refused the query: " + m);
    }
  }
}
