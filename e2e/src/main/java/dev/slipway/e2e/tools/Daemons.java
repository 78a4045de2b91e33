package dev.slipway.e2e.tools;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The harness's long-running processes (etcd, kube-apiserver, kubelet, Traefik, Argo CD, the
 * controller, git daemon): started one way, output and errors in a log file that failures quote.
 * Commands that finish run through {@link Sh} instead, bounded in time.
 */
public final class Daemons {
  private Daemons() {}

  public static Process start(List<String> cmd, Path log) {
    return start(cmd, log, Map.of());
  }

  /** With these environment variables added to the harness's own; the log starts empty. */
  public static Process start(List<String> cmd, Path log, Map<String, String> env) {
    return start(cmd, ProcessBuilder.Redirect.to(log.toFile()), env);
  }

  /** A process started again (a restarted controller): its log keeps the earlier runs. */
  public static Process startAppending(List<String> cmd, Path log, Map<String, String> env) {
    return start(cmd, ProcessBuilder.Redirect.appendTo(log.toFile()), env);
  }

  private static Process start(
      List<String> cmd, ProcessBuilder.Redirect log, Map<String, String> env) {
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log);
    pb.environment().putAll(env);
    try {
      return pb.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + cmd.get(0), e);
    }
  }

  /**
   * The last {@code lines} lines of a daemon's log, for a failure message; says so if unreadable.
   */
  public static String tail(Path log, int lines) {
    try {
      List<String> all = Files.readAllLines(log);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }
}
