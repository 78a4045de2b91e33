package dev.slipway.e2e.install;

import dev.slipway.e2e.Lanes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The suite's dead time, announced: while the API server is frozen this lane only waits, and the
 * other lanes are done by then (InstallE2ETest runs last). .ci/run starts the benchmarks then
 * (SLIPWAY_QUIET_WINDOW names the file it waits for), unless TraefikE2ETest, on the other real
 * node, still runs: its scenarios measure latency under real traffic, which the benchmarks' CPU
 * would distort (ci44); they start after the tests then. Elsewhere nothing happens.
 */
final class QuietWindow {
  private QuietWindow() {}

  static void begins(Duration length) {
    String path = System.getenv("SLIPWAY_QUIET_WINDOW");
    if (path == null || path.isBlank()) return;
    if (!Lanes.trafficScenariosDone()) {
      System.out.println("quiet window not announced: TraefikE2ETest still runs");
      return;
    }
    try {
      Files.writeString(Path.of(path), length.toSeconds() + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
