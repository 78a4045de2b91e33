package dev.slipway.controller.analysis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.slipway.analysis.query.Placeholders;
import java.util.Iterator;
import java.util.Map;
import java.util.regex.Matcher;

/**
 * A Job check's spec with its {{args.NAME}} filled in: value by value, inside the JSON strings that
 * hold them, so an argument (a revision, a Service name, a template's own value) can change a
 * string and never the spec's shape: it cannot add a container, a volume or a field.
 */
final class JobTemplates {
  private static final ObjectMapper JSON = new ObjectMapper();

  private JobTemplates() {}

  /**
   * The spec, rendered.
   *
   * @throws IllegalArgumentException for a spec that is not JSON or an unknown argument
   */
  static JsonNode render(String template, Map<String, String> args) {
    JsonNode root;
    try {
      root = JSON.readTree(template);
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException("the Job spec is not JSON: " + e.getMessage(), e);
    }
    return fill(root, args);
  }

  private static JsonNode fill(JsonNode node, Map<String, String> args) {
    if (node.isTextual()) return TextNode.valueOf(fill(node.asText(), args));
    if (node instanceof ArrayNode a) {
      for (int i = 0; i < a.size(); i++) a.set(i, fill(a.get(i), args));
    } else if (node instanceof ObjectNode o) {
      for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        e.setValue(fill(e.getValue(), args));
      }
    }
    return node;
  }

  private static String fill(String s, Map<String, String> args) {
    Matcher m = Placeholders.PLACEHOLDER.matcher(s);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(out, Matcher.quoteReplacement(Placeholders.value(m.group(1), args)));
    }
    m.appendTail(out);
    return out.toString();
  }
}
