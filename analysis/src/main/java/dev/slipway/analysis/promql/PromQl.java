package dev.slipway.analysis.promql;

import dev.slipway.analysis.query.Placeholders;
import java.util.Map;

/**
 * Fills {{args.NAME}} placeholders so that no value can change what a query means. A placeholder
 * may only sit inside a double-quoted string; its value is escaped for that string, and after a
 * regex matcher (=~ or !~) it is also regex-quoted, so ".*" stays three literal characters.
 * Anywhere else a placeholder is refused: no escaping makes a bare value safe.
 */
public final class PromQl {
  private static final String REGEX_META = "\\.+*?()|[]{}^$";

  private PromQl() {}

  /**
   * Fills the template's placeholders with the args, each escaped as a PromQL string.
   *
   * @throws IllegalArgumentException naming the placeholder that is unknown or outside a string
   */
  public static String substitute(String template, Map<String, String> args) {
    StringBuilder out = new StringBuilder(template.length() + 32);
    boolean inString = false;
    boolean regex = false;
    int i = 0;
    while (i < template.length()) {
      char c = template.charAt(i);
      String name = Placeholders.at(template, i);
      if (name != null) {
        if (!inString) {
          throw new IllegalArgumentException(
              "{{args."
                  + name
                  + "}} must be inside a double-quoted string, like label=\"{{args."
                  + name
                  + "}}\"");
        }
        String value = Placeholders.value(name, args);
        out.append(escapeString(regex ? quoteRegex(value) : value));
        i = Placeholders.end(template, i);
        continue;
      }
      if (inString) {
        if (c == '\\' && i + 1 < template.length()) {
          out.append(c).append(template.charAt(i + 1));
          i += 2;
          continue;
        }
        if (c == '"') {
          inString = false;
        }
      } else if (c == '"') {
        inString = true;
        regex = precededByRegexMatcher(template, i);
      } else if (c == '\'' || c == '`') {
        throw new IllegalArgumentException(
            "use double quotes for strings in a query template (found " + c + ")");
      }
      out.append(c);
      i++;
    }
    if (inString) {
      throw new IllegalArgumentException("unterminated string in query template");
    }
    return out.toString();
  }

  /** A value as the body of a PromQL double-quoted string (Go string-literal escapes). */
  public static String escapeString(String value) {
    StringBuilder b = new StringBuilder(value.length() + 8);
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '\\' -> b.append("\\\\");
        case '"' -> b.append("\\\"");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20 || c == 0x7f) {
            b.append(String.format("\\x%02x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.toString();
  }

  /** A value as a regex that matches exactly it (RE2 syntax). */
  public static String quoteRegex(String value) {
    StringBuilder b = new StringBuilder(value.length() + 8);
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (REGEX_META.indexOf(c) >= 0) {
        b.append('\\');
      }
      b.append(c);
    }
    return b.toString();
  }

  /** A complete string literal, for queries we build ourselves. */
  public static String literal(String value) {
    return "\"" + escapeString(value) + "\"";
  }

  private static boolean precededByRegexMatcher(String s, int quote) {
    int j = quote - 1;
    while (j >= 0 && Character.isWhitespace(s.charAt(j))) j--;
    return j >= 1 && s.charAt(j) == '~' && (s.charAt(j - 1) == '=' || s.charAt(j - 1) == '!');
  }
}
