package dev.slipway.analysis.query;

import java.util.Map;

/**
 * Fills {{args.NAME}} in an NRQL query so that no value can change what it means: a placeholder may
 * stand only inside a single-quoted string ({@code WHERE appName = '{{args.service}}'}), where its
 * value is escaped; anywhere else (a bare word, a backquoted name) it is refused.
 */
public final class Nrql {
  private Nrql() {}

  /**
   * Fills the template's placeholders, each escaped as an NRQL string.
   *
   * @throws IllegalArgumentException naming the placeholder that is unknown or outside a string
   */
  public static String substitute(String template, Map<String, String> args) {
    StringBuilder out = new StringBuilder(template.length() + 32);
    boolean inString = false;
    int i = 0;
    while (i < template.length()) {
      char c = template.charAt(i);
      String name = Placeholders.at(template, i);
      if (name != null) {
        if (!inString) {
          throw new IllegalArgumentException(
              "{{args."
                  + name
                  + "}} must be inside a single-quoted string, like appName = '{{args."
                  + name
                  + "}}'");
        }
        out.append(escape(Placeholders.value(name, args)));
        i = Placeholders.end(template, i);
        continue;
      }
      if (inString && c == '\\' && i + 1 < template.length()) {
        out.append(c).append(template.charAt(i + 1));
        i += 2;
        continue;
      }
      if (c == '\'') inString = !inString;
      out.append(c);
      i++;
    }
    if (inString) throw new IllegalArgumentException("unterminated string in NRQL query");
    return out.toString();
  }

  /** A value as the body of an NRQL single-quoted string. */
  public static String escape(String value) {
    StringBuilder b = new StringBuilder(value.length() + 8);
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '\\' || c == '\'') b.append('\\');
      // A line break cannot end the string, but it has no place in a label value either.
      b.append(c < 0x20 || c == 0x7f ? ' ' : c);
    }
    return b.toString();
  }
}
