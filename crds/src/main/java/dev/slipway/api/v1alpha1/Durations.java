package dev.slipway.api.v1alpha1;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Go-style durations ("1h30m", "45s", "250ms"), the notation Kubernetes users already write. At
 * most six digits a part (with the schema's 32 characters, a few centuries at most), so no duration
 * overflows the arithmetic of instants it is added to.
 */
public final class Durations {
  public static final String PATTERN = "^([0-9]{1,6}(ms|s|m|h))+$";
  private static final Pattern FULL = Pattern.compile(PATTERN);
  private static final Pattern PART = Pattern.compile("([0-9]+)(ms|s|m|h)");

  private Durations() {}

  /** A duration or a whole number of days ("30d"), for SLO periods and look-back ranges. */
  public static final String PATTERN_WITH_DAYS = "^([0-9]{1,5}d|([0-9]{1,6}(ms|s|m|h))+)$";

  /** Parses "30d" as days, anything else as {@link #parse}. */
  public static Duration parseWithDays(String text) {
    if (text != null && text.matches("[0-9]{1,5}d")) {
      return Duration.ofDays(Long.parseLong(text.substring(0, text.length() - 1)));
    }
    return parse(text);
  }

  /** Parses a duration; throws IllegalArgumentException naming the bad value. */
  public static Duration parse(String text) {
    if (text == null || !FULL.matcher(text).matches()) {
      throw new IllegalArgumentException(
          "malformed duration '"
              + text
              + "': expected e.g. 30s, 5m, 1h30m, at most 6 digits a part");
    }
    Duration total = Duration.ZERO;
    Matcher m = PART.matcher(text);
    while (m.find()) {
      long n = Long.parseLong(m.group(1));
      total =
          total.plus(
              switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> throw new IllegalStateException(m.group(2));
              });
    }
    return total;
  }
}
