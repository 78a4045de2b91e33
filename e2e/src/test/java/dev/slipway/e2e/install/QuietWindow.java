package dev.slipway.e2e.install;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The suite's dead time, announced: while the API server is frozen the real-node lane only waits,
 * and by then the other lanes are done. .ci/run starts the benchmarks then (SLIPWAY_QUIET_WINDOW
 * names the file it waits for); elsewhere nothing happens.
 */
final class QuietWindow {
  private QuietWindow() {}

  static void begins(Duration length) {
    String path = System.getenv("SLIPWAY_QUIET_WINDOW");
    if (path == null || path.isBlank()) return;
    try {
      Files.writeString(Path.of(path), length.toSeconds() + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
