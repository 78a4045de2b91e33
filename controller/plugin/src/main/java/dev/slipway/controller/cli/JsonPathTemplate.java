package dev.slipway.controller.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * kubectl's -o jsonpath templates, the part people use: text, {.field.path}, [n], [*], ['key'],
 * filters [?(@.path=="value")] (== and !=), {range …}{end}, and {"literal"} with \n and \t. Several
 * results print space-separated, as kubectl prints them.
 */
final class JsonPathTemplate {
  private final String template;

  JsonPathTemplate(String template) {
    this.template = template;
  }

  String render(JsonNode root) {
    List<Part> parts = parse(template);
    int[] at = {0};
    List<Part> tree = tree(parts, at, false);
    StringBuilder out = new StringBuilder();
    render(tree, root, out);
    return out.toString();
  }

  private sealed interface Part permits Text, Path, Range, End {}

  private record Text(String text) implements Part {}

  private record Path(String path) implements Part {}

  /** {range PATH}…{end}: the body once per selected node. */
  private record Range(String path, List<Part> body) implements Part {}

  private record End() implements Part {}

  private static List<Part> tree(List<Part> flat, int[] at, boolean inRange) {
    List<Part> out = new ArrayList<>();
    while (at[0] < flat.size()) {
      Part p = flat.get(at[0]++);
      if (p instanceof End) {
        if (!inRange) throw new IllegalArgumentException("jsonpath: {end} without {range}");
        return out;
      }
      out.add(p instanceof Range r ? new Range(r.path(), tree(flat, at, true)) : p);
    }
    if (inRange) throw new IllegalArgumentException("jsonpath: {range} without {end}");
    return out;
  }

  private static void render(List<Part> parts, JsonNode node, StringBuilder out) {
    for (Part p : parts) {
      if (p instanceof Text text) {
        out.append(text.text());
      } else if (p instanceof Path path) {
        List<JsonNode> values = select(node, path.path());
        for (int k = 0; k < values.size(); k++) {
          if (k > 0) out.append(' ');
          JsonNode v = values.get(k);
          out.append(v.isValueNode() ? v.asText() : v.toString());
        }
      } else if (p instanceof Range range) {
        for (JsonNode each : select(node, range.path())) render(range.body(), each, out);
      }
    }
  }

  private static List<Part> parse(String t) {
    List<Part> parts = new ArrayList<>();
    int i = 0;
    while (i < t.length()) {
      int open = t.indexOf('{', i);
      if (open < 0) {
        parts.add(new Text(t.substring(i)));
        break;
      }
      if (open > i) parts.add(new Text(t.substring(i, open)));
      int close = closing(t, open);
      String inner = t.substring(open + 1, close).strip();
      if (inner.startsWith("\"") && inner.endsWith("\"") && inner.length() >= 2) {
        parts.add(
            new Text(
                inner.substring(1, inner.length() - 1).replace("\\n", "\n").replace("\\t", "\t")));
      } else if (inner.startsWith("range ")) {
        parts.add(new Range(inner.substring(6).strip(), List.of()));
      } else if (inner.equals("end")) {
        parts.add(new End());
      } else {
        parts.add(new Path(inner));
      }
      i = close + 1;
    }
    return parts;
  }

  private static int closing(String t, int open) {
    boolean quoted = false;
    for (int i = open + 1; i < t.length(); i++) {
      char c = t.charAt(i);
      if (c == '"') quoted = !quoted;
      if (c == '}' && !quoted) return i;
    }
    throw new IllegalArgumentException("jsonpath: unclosed { in " + t);
  }

  /**
   * Evaluates .a.b[0][*]['k'][?(@.x=="y")] from {@code node}; "." alone or "" is the node itself.
   */
  static List<JsonNode> select(JsonNode node, String path) {
    List<JsonNode> current = List.of(node);
    String p = path.startsWith("$") ? path.substring(1) : path;
    int i = 0;
    while (i < p.length()) {
      char c = p.charAt(i);
      if (c == '.') {
        int end = i + 1;
        while (end < p.length() && p.charAt(end) != '.' && p.charAt(end) != '[') end++;
        String field = p.substring(i + 1, end);
        if (!field.isEmpty()) current = field(current, field);
        i = end;
      } else if (c == '[') {
        int end = p.indexOf(']', i);
        if (p.startsWith("[?(", i)) end = p.indexOf(")]", i) + 1;
        if (end <= i) throw new IllegalArgumentException("jsonpath: unclosed [ in " + path);
        current = index(current, p.substring(i + 1, end), path);
        i = end + 1;
      } else {
        int end = i;
        while (end < p.length() && p.charAt(end) != '.' && p.charAt(end) != '[') end++;
        current = field(current, p.substring(i, end));
        i = end;
      }
    }
    return current;
  }

  private static List<JsonNode> field(List<JsonNode> nodes, String name) {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode n : nodes) {
      JsonNode v = n.get(name);
      if (v != null && !v.isNull()) out.add(v);
    }
    return out;
  }

  private static List<JsonNode> index(List<JsonNode> nodes, String spec, String path) {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode n : nodes) {
      if (spec.equals("*")) {
        n.elements().forEachRemaining(out::add);
      } else if (spec.startsWith("'") || spec.startsWith("\"")) {
        JsonNode v = n.get(spec.substring(1, spec.length() - 1));
        if (v != null && !v.isNull()) out.add(v);
      } else if (spec.startsWith("?(@")) {
        String cond = spec.substring(3, spec.length() - 1);
        boolean equals = !cond.contains("!=");
        String[] sides = cond.split(equals ? "==" : "!=", 2);
        if (sides.length != 2)
          throw new IllegalArgumentException(
              "jsonpath: unsupported filter " + spec + " in " + path);
        String want = sides[1].strip().replaceAll("^[\"']|[\"']$", "");
        n.elements()
            .forEachRemaining(
                e -> {
                  List<JsonNode> got = select(e, sides[0].strip());
                  boolean match = !got.isEmpty() && got.get(0).asText().equals(want);
                  if (match == equals) out.add(e);
                });
      } else {
        try {
          int k = Integer.parseInt(spec.strip());
          if (n.isArray() && n.size() > 0) {
            JsonNode v = n.get(k < 0 ? n.size() + k : k);
            if (v != null) out.add(v);
          }
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException(
              "jsonpath: unsupported index [" + spec + "] in " + path);
        }
      }
    }
    return out;
  }
}
