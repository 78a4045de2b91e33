package dev.slipway.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Scales the JUnit default timeouts a module's junit-platform.properties declares by {@link
 * TestTime#scale()}, as every other timeout of the suite is, before any test runs: a hung test
 * fails alone (with a thread dump) in time that grows with the machine's load, instead of hanging
 * the whole run until CI's limit. A timeout given as a system property is left alone. Registered
 * through META-INF/services, so every module with this test-jar on its path gets it.
 */
public final class ScaledTimeouts implements LauncherSessionListener {
  static final List<String> KEYS =
      List.of(
          "junit.jupiter.execution.timeout.default",
          "junit.jupiter.execution.timeout.testable.method.default",
          "junit.jupiter.execution.timeout.lifecycle.method.default");
  private static final Pattern VALUE =
      Pattern.compile("\\s*(\\d+)\\s*(ns|μs|ms|s|m|h|d)?\\s*", Pattern.CASE_INSENSITIVE);
  private static volatile boolean done;

  @Override
  public void launcherSessionOpened(LauncherSession session) {
    apply();
  }

  /**
   * Once per JVM: reads the module's junit-platform.properties and sets the scaled values as system
   * properties.
   */
  static synchronized void apply() {
    if (done) return;
    done = true;
    Properties declared = declared();
    double scale = TestTime.scale();
    StringBuilder said = new StringBuilder();
    for (String key : KEYS) {
      String base = declared.getProperty(key);
      if (base == null || System.getProperty(key) != null) continue;
      long ms = millis(base);
      long scaled = (long) Math.ceil(ms * scale);
      System.setProperty(key, scaled + " ms");
      said.append(said.length() == 0 ? "" : ", ")
          .append(key.replace("junit.jupiter.execution.timeout.", ""))
          .append(' ')
          .append(base.strip())
          .append(" -> ")
          .append(scaled / 1000)
          .append(" s");
    }
    if (said.length() > 0) {
      System.out.printf(Locale.ROOT, "test timeouts scaled by load (x%.2f): %s%n", scale, said);
    }
  }

  /** The first junit-platform.properties on the class path, as JUnit itself reads it. */
  static Properties declared() {
    Properties p = new Properties();
    try {
      URL url =
          Thread.currentThread().getContextClassLoader().getResource("junit-platform.properties");
      if (url == null) return p;
      try (InputStream in = url.openStream()) {
        p.load(in);
      }
      return p;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A JUnit duration ("90 s", "5 m", "250 ms"; a bare number is seconds) in milliseconds. */
  static long millis(String value) {
    Matcher m = VALUE.matcher(value);
    if (!m.matches()) {
      throw new IllegalArgumentException("not a JUnit timeout: " + value);
    }
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "s" : m.group(2).toLowerCase(Locale.ROOT);
    return switch (unit) {
      case "ns" -> n / 1_000_000;
      case "μs" -> n / 1_000;
      case "ms" -> n;
      case "s" -> n * 1_000;
      case "m" -> n * 60_000;
      case "h" -> n * 3_600_000;
      default -> n * 86_400_000;
    };
  }
}
