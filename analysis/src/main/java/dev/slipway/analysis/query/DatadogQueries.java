package dev.slipway.analysis.query;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * Fills {{args.NAME}} in a Datadog metrics query, e.g. {@code
 * sum:trace.http.request.errors{service:{{args.service}}}.as_count()}, so that no value can change
 * what the query means. Datadog has no quoting: a placeholder may stand only inside a tag scope
 * ({@code {...}}), and its value must be made of the characters a tag may hold (letters, digits,
 * {@code _ - . : /}); a comma, a brace, a space or a wildcard is refused, never escaped.
 */
public final class DatadogQueries {
  private static final Pattern TAG_VALUE = Pattern.compile("[A-Za-z0-9_\\-.:/]{1,200}");

  private DatadogQueries() {}

  /**
   * Fills the template's placeholders with tag-safe values.
   *
   * @throws IllegalArgumentException naming the placeholder that is unknown, outside a tag scope,
   *     or whose value a tag cannot hold
   */
  public static String substitute(String template, Map<String, String> args) {
    StringBuilder out = new StringBuilder(template.length() + 32);
    int depth = 0;
    int i = 0;
    while (i < template.length()) {
      char c = template.charAt(i);
      String name = Placeholders.at(template, i);
      if (name != null) {
        if (depth == 0) {
          throw new IllegalArgumentException(
              "{{args."
                  + name
                  + "}} must be inside a tag scope, like {service:{{args."
                  + name
                  + "}}}");
        }
        String value = Placeholders.value(name, args);
        if (!TAG_VALUE.matcher(value).matches()) {
          throw new IllegalArgumentException(
              "{{args."
                  + name
                  + "}} is not a Datadog tag value (letters, digits and _ - . : / only): "
                  + value);
        }
        out.append(value);
        i = Placeholders.end(template, i);
        continue;
      }
      if (c == '{') depth++;
      if (c == '}') depth = Math.max(0, depth - 1);
      out.append(c);
      i++;
    }
    return out.toString();
  }
}
