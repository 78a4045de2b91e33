package dev.slipway.analysis.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads Prometheus API replies. Anything unexpected is a Failure that says what was wrong; an empty
 * result or NaN is NoData. Neither can be mistaken for a value.
 */
final class PrometheusResponses {
  private static final ObjectMapper JSON = new ObjectMapper();

  private PrometheusResponses() {}

  static QueryOutcome instant(String body) {
    try {
      JsonNode data = data(body);
      String type = data.path("resultType").asText("");
      JsonNode result = data.get("result");
      return switch (type) {
        case "scalar" -> value(result);
        case "vector" -> {
          if (result == null || !result.isArray()) {
            yield malformed("vector result is not a list");
          }
          if (result.isEmpty()) {
            yield new QueryOutcome.NoData("the query returned no series");
          }
          if (result.size() > 1) {
            yield new QueryOutcome.Failure(
                "the query returned "
                    + result.size()
                    + " series; it must reduce to one (wrap it in sum() or similar)");
          }
          yield value(result.get(0).get("value"));
        }
        default -> malformed("unexpected resultType " + known(type) + " for an instant query");
      };
    } catch (Malformed e) {
      return malformed(e.getMessage());
    }
  }

  /** A vector with each series' labels; NaN samples are dropped (a counter is never NaN). */
  static QueryOutcome vector(String body) {
    try {
      JsonNode data = data(body);
      if (!"vector".equals(data.path("resultType").asText(""))) {
        return malformed(
            "unexpected resultType "
                + known(data.path("resultType").asText(""))
                + " for a series query");
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
        return malformed(
            "unexpected resultType "
                + known(data.path("resultType").asText(""))
                + " for a range query");
      }
      JsonNode result = data.get("result");
      if (result == null || !result.isArray()) return malformed("matrix result is not a list");
      if (result.isEmpty()) return new QueryOutcome.NoData("the query returned no series");
      if (result.size() > 1) {
        return new QueryOutcome.Failure(
            "the query returned " + result.size() + " series; it must reduce to one");
      }
      JsonNode values = result.get(0).get("values");
      if (values == null || !values.isArray()) return malformed("series has no values");
      List<Double> out = new ArrayList<>();
      for (JsonNode pair : values) {
        double v = number(pair);
        if (!Double.isNaN(v)) out.add(v);
      }
      return out.isEmpty()
          ? new QueryOutcome.NoData("every sample was NaN")
          : new QueryOutcome.Samples(out);
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
      // Only the documented category goes on; the text (which can echo anything) goes to the debug
      // log.
      UpstreamText.logged(
          "prometheus refused the query (" + root.path("errorType").asText("") + ")",
          "the provider",
          root.path("error").asText(""));
      throw new Rejected(UpstreamText.category(root.path("errorType").asText("")));
    }
    if (!"success".equals(status)) throw new Malformed("reply status is neither success nor error");
    JsonNode data = root.get("data");
    if (data == null || !data.isObject()) throw new Malformed("reply has no data");
    return data;
  }

  private static QueryOutcome value(JsonNode pair) throws Malformed {
    double v = number(pair);
    return Double.isNaN(v)
        ? new QueryOutcome.NoData("the value is NaN (no requests in the window)")
        : new QueryOutcome.Value(v);
  }

  private static double number(JsonNode pair) throws Malformed {
    if (pair == null || !pair.isArray() || pair.size() != 2 || !pair.get(1).isTextual()) {
      throw new Malformed("sample is not [time, \"value\"]");
    }
    String s = pair.get(1).asText();
    return switch (s) {
      case "NaN" -> Double.NaN;
      case "+Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      default -> {
        try {
          yield Double.parseDouble(s);
        } catch (NumberFormatException e) {
          throw new Malformed("a sample value is not a number");
        }
      }
    };
  }

  private static QueryOutcome malformed(String why) {
    // Every reason here is the parser's own fixed text: nothing from the reply is repeated.
    return new QueryOutcome.Failure(
        why.startsWith("prometheus refused") ? why : "malformed reply: " + why);
  }

  /**
   * Prometheus's result types by name; anything else is not repeated (it came from the upstream).
   */
  private static String known(String type) {
    return Set.of("scalar", "vector", "matrix", "string").contains(type)
        ? "'" + type + "'"
        : "(not one of Prometheus's)";
  }

  private static class Malformed extends Exception {
    Malformed(String m) {
      super(m, null, false, false);
    }
  }

  private static final class Rejected extends Malformed {
    Rejected(String m) {
      super(
          "prometheus refused the query: "
              + m
              + " (its reply is in the controller's log at debug level)");
    }
  }
}
