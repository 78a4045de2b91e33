package dev.slipway.analysis.provider;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The end of a Job's container log as the evidence may hold it: redacted as the rest of the
 * evidence is (no credentials: a value after a secret-looking key, a bearer token, a URL's user
 * info), control characters removed, the last lines kept within a byte bound. A log is the test's
 * own output, so it may be recorded; but a test that echoes its environment must not leak a token
 * into a signed record that auditors export.
 */
public final class LogTail {
  /** Bound of one container's tail in the evidence. */
  public static final int MAX_CHARS = 2048;

  static final String HIDDEN = "[redacted]";

  private static final Pattern SECRET_VALUE =
      Pattern.compile(
          "(?i)\\b([A-Za-z0-9_.-]*(?:password|passwd|secret|token|api[_-]?key|apikey|credential|private[_-]?key|access[_-]?key)[A-Za-z0-9_.-]*)(\"?\\s*[:=]\\s*\"?)([^\\s\"',;&]+)");
  private static final Pattern BEARER =
      Pattern.compile("(?i)\\b(bearer|basic|token)\\s+[A-Za-z0-9._~+/=-]{8,}");
  private static final Pattern USER_INFO =
      Pattern.compile("(?i)\\b([a-z][a-z0-9+.-]*://)[^/\\s@]+@");
  private static final Pattern CONTROL = Pattern.compile("[\\p{Cntrl}&&[^\\n\\t]]|[\\p{Cf}]");

  private LogTail() {}

  /** The last {@code lines} lines of {@code log}, redacted and bounded. */
  public static String of(String log, int lines) {
    if (log == null || lines <= 0) return "";
    String cleaned = CONTROL.matcher(log).replaceAll("");
    List<String> all = List.of(cleaned.split("\n", -1));
    int end = all.size();
    while (end > 0 && all.get(end - 1).isBlank()) end--;
    List<String> kept = new ArrayList<>();
    int chars = 0;
    for (int i = end - 1; i >= 0 && kept.size() < lines; i--) {
      String line = redact(all.get(i).replace('\t', ' ').stripTrailing());
      if (chars + line.length() + 1 > MAX_CHARS) {
        if (kept.isEmpty()) kept.add(0, "…" + line.substring(line.length() - (MAX_CHARS - 1)));
        break;
      }
      kept.add(0, line);
      chars += line.length() + 1;
    }
    return String.join("\n", kept);
  }

  /** Credentials in one line replaced by {@value #HIDDEN}. */
  static String redact(String line) {
    String s = SECRET_VALUE.matcher(line).replaceAll("$1$2" + HIDDEN);
    s = BEARER.matcher(s).replaceAll("$1 " + HIDDEN);
    return USER_INFO.matcher(s).replaceAll("$1" + HIDDEN + "@");
  }
}
