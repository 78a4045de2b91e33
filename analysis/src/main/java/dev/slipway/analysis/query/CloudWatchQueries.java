package dev.slipway.analysis.query;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.Iterator;
import java.util.Map;
import java.util.regex.Matcher;

/**
 * CloudWatch's metric data queries, as written in a template (a JSON list of {@code {id, expression
 * | metricStat: {metric: {namespace, metricName, dimensions: [{name, value}]}, period, stat, unit},
 * label, returnData}}), with {{args.NAME}} filled in. A placeholder may stand only in a dimension's
 * value, which is data the API never parses: there any value is safe (up to CloudWatch's 1,024
 * characters, no control characters). Anywhere else, an expression above all, it is refused.
 */
public final class CloudWatchQueries {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_DIMENSION_VALUE = 1024;

  private CloudWatchQueries() {}

  /**
   * The queries with their args filled in, as compact JSON.
   *
   * @throws IllegalArgumentException when the template is not a list of queries, or a placeholder
   *     is unknown, stands outside a dimension's value, or its value is not one CloudWatch takes
   */
  public static String substitute(String template, Map<String, String> args) {
    JsonNode root;
    try {
      root = JSON.readTree(template);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cloudWatch queries are not JSON");
    }
    if (root == null || !root.isArray() || root.isEmpty()) {
      throw new IllegalArgumentException("cloudWatch needs a list of at least one query");
    }
    ArrayNode out = ((ArrayNode) root).deepCopy();
    for (JsonNode q : out) {
      JsonNode dims = q.path("metricStat").path("metric").path("dimensions");
      if (dims.isArray()) {
        for (JsonNode d : dims) {
          JsonNode v = d.path("value");
          if (v.isTextual()) ((ObjectNode) d).set("value", new TextNode(fill(v.textValue(), args)));
        }
      }
    }
    refuseLeftovers(out, "queries");
    return out.toString();
  }

  private static String fill(String value, Map<String, String> args) {
    StringBuilder b = new StringBuilder();
    Matcher m = Placeholders.PLACEHOLDER.matcher(value);
    int at = 0;
    while (m.find()) {
      b.append(value, at, m.start()).append(Placeholders.value(m.group(1), args));
      at = m.end();
    }
    String filled = b.append(value.substring(at)).toString();
    if (filled.isEmpty() || filled.length() > MAX_DIMENSION_VALUE) {
      throw new IllegalArgumentException(
          "a dimension value must hold 1 to " + MAX_DIMENSION_VALUE + " characters once filled in");
    }
    if (filled.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
      throw new IllegalArgumentException("a dimension value may not hold control characters");
    }
    return filled;
  }

  /** A placeholder still standing after the dimensions were filled is one no value is safe in. */
  private static void refuseLeftovers(JsonNode n, String at) {
    if (n.isTextual()) {
      Matcher m = Placeholders.PLACEHOLDER.matcher(n.textValue());
      if (m.find()) {
        throw new IllegalArgumentException(
            "{{args."
                + m.group(1)
                + "}} may stand only in a dimension's value (metricStat.metric.dimensions[].value), not in "
                + at);
      }
    } else if (n.isArray()) {
      for (int i = 0; i < n.size(); i++) refuseLeftovers(n.get(i), at + "[" + i + "]");
    } else if (n.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        refuseLeftovers(e.getValue(), at + "." + e.getKey());
      }
    }
  }
}
