package dev.slipway.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The one scale factor every test timeout is multiplied by, so that the suite passes on a busy
 * machine: SLIPWAY_TEST_TIME_SCALE when set, otherwise how oversubscribed the CPUs are right now
 * (the one-minute load average per core, between 1 and 10). Only timeouts scale; no test expects a
 * fixed few seconds of wall time to pass.
 */
public final class TestTime {
  private TestTime() {}

  public static double scale() {
    String env = System.getenv("SLIPWAY_TEST_TIME_SCALE");
    if (env != null && !env.isBlank()) {
      return Math.max(1, Double.parseDouble(env.strip()));
    }
    try {
      double load = Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
      return Math.min(10, Math.max(1, load / Runtime.getRuntime().availableProcessors()));
    } catch (IOException | RuntimeException e) {
      return 1;
    }
  }

  public static Duration of(Duration d) {
    return Duration.ofMillis((long) (d.toMillis() * scale()));
  }

  public static long seconds(long s) {
    return (long) Math.ceil(s * scale());
  }

  public static long millis(long ms) {
    return (long) Math.ceil(ms * scale());
  }
}
