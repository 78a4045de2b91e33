package dev.slipway.e2e.tools;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Temporary directories the harness makes (a control plane's etcd, logs and pod volumes; a plugin
 * user's home) go when their owner closes: a CI run made about twenty, some 140 MB each, and a
 * shared machine's disk filled up within a day of runs. SLIPWAY_E2E_KEEP_DIRS=true keeps them, to
 * read after a failure.
 */
public final class TempDirs {
  private TempDirs() {}

  /**
   * Deletes the tree, best effort, never crossing into another file system: a pod volume still
   * mounted under it (a hostPath is the host's own directory) is left alone, as the real node's
   * teardown does.
   */
  public static void delete(Path dir) {
    if (dir == null || !Files.exists(dir)) return;
    if ("true".equals(System.getenv("SLIPWAY_E2E_KEEP_DIRS"))) {
      System.out.println("kept " + dir + " (SLIPWAY_E2E_KEEP_DIRS)");
      return;
    }
    Sh.quietly("rm", "-rf", "--one-file-system", dir.toString());
  }

  /**
   * Deletes the tree when the test JVM exits, for directories shared by the whole run (the local
   * release, a newcomer's home), which no one closes.
   */
  public static void deleteAtExit(Path dir) {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(dir), "delete " + dir));
  }
}
