package dev.slipway.analysis.query;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {{args.NAME}} placeholder every query language shares. Each language decides where one may
 * stand and how its value is escaped there; this says only what one looks like and what it stands
 * for.
 */
public final class Placeholders {
  public static final Pattern PLACEHOLDER =
      Pattern.compile("\\{\\{\\s*args\\.([A-Za-z][A-Za-z0-9_-]*)\\s*}}");

  private Placeholders() {}

  /**
   * The value of {@code name}.
   *
   * @throws IllegalArgumentException naming the known args when it is unknown
   */
  public static String value(String name, Map<String, String> args) {
    String value = args.get(name);
    if (value == null) {
      throw new IllegalArgumentException(
          "unknown arg {{args." + name + "}}; known: " + String.join(", ", args.keySet()));
    }
    return value;
  }

  /** The name of the placeholder that starts at {@code i}, or null if none starts there. */
  public static String at(String template, int i) {
    if (template.charAt(i) != '{') return null;
    Matcher m = PLACEHOLDER.matcher(template).region(i, template.length());
    return m.lookingAt() ? m.group(1) : null;
  }

  /** Where the placeholder that starts at {@code i} ends. */
  public static int end(String template, int i) {
    Matcher m = PLACEHOLDER.matcher(template).region(i, template.length());
    if (!m.lookingAt()) throw new IllegalArgumentException("no placeholder at " + i);
    return m.end();
  }
}
