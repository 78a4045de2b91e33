package dev.slipway.analysis.query;

import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

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

  /** Words that set a query's window or shape, which a count query leaves to Slipway. */
  private static final Pattern WINDOW_WORDS =
      Pattern.compile("\\b(SINCE|UNTIL|TIMESERIES|FACET|COMPARE|LIMIT)\\b");

  /**
   * A count query over one interval: SINCE and UNTIL in epoch milliseconds appended. The query may
   * not set its own window or shape (SINCE, UNTIL, TIMESERIES, FACET, COMPARE WITH, LIMIT outside a
   * string): the look's interval is what it counts.
   *
   * @throws IllegalArgumentException naming the word that is not the query's to set
   */
  public static String over(String query, Instant from, Instant to) {
    checkCountQuery(query);
    String q = query.strip();
    return q + " SINCE " + from.toEpochMilli() + " UNTIL " + to.toEpochMilli();
  }

  /**
   * Refuses a count query that sets its own window or shape.
   *
   * @throws IllegalArgumentException naming the word
   */
  public static void checkCountQuery(String query) {
    StringBuilder bare = new StringBuilder(query.length());
    boolean inString = false;
    for (int i = 0; i < query.length(); i++) {
      char c = query.charAt(i);
      if (inString && c == '\\') {
        i++;
        continue;
      }
      if (c == '\'') {
        inString = !inString;
        bare.append(' ');
        continue;
      }
      bare.append(inString ? ' ' : c);
    }
    var m = WINDOW_WORDS.matcher(bare.toString().toUpperCase(Locale.ROOT));
    if (m.find()) {
      throw new IllegalArgumentException(
          "a count query leaves its window to the look: drop " + m.group(1));
    }
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
