package dev.slipway.analysis.query;

import java.util.Map;
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
}
