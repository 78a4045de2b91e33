package dev.slipway.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The suite's spare capacity, announced: .ci/run starts the benchmarks when the file named by
 * SLIPWAY_QUIET_WINDOW appears (elsewhere nothing happens). Two moments announce it, whichever
 * comes first: every class outside the real node's lane has finished ({@link LaneProgress}), or
 * InstallE2ETest freezes the API server (the real-node lane then only waits).
 */
public final class QuietWindow {
  private QuietWindow() {}

  /**
   * Writes the reason, once: a second announcement leaves the first in place. Synchronized: both
   * announcers run in the one test JVM and would share the draft's name.
   */
  public static synchronized void begins(String why) {
    String path = System.getenv("SLIPWAY_QUIET_WINDOW");
    if (path == null || path.isBlank()) return;
    try {
      // Written beside it and moved into place: .ci/run reads the reason as soon as the file
      // exists.
      Path file = Path.of(path);
      if (Files.exists(file)) return; // announced before: the benchmarks have started
      Path draft =
          Files.writeString(Path.of(path + ".draft-" + ProcessHandle.current().pid()), why + "\n");
      Files.move(draft, file, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
