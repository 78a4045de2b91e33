package dev.slipway.e2e.tools;

import dev.slipway.testing.Proc;
import dev.slipway.testing.TestTime;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Host commands the harness runs (ip, ctr, openssl, git, argocd): output merged, bounded in time by
 * {@link Proc}.
 */
public final class Sh {
  /** A host command may take this long (scaled with load) before its process tree is killed. */
  static final Duration TIMEOUT = Duration.ofMinutes(2);

  public record Result(int exit, String out) {
    public Result orThrow(List<String> cmd) {
      if (exit != 0) {
        throw new IllegalStateException(
            String.join(" ", cmd) + " exited " + exit + ": " + out.strip());
      }
      return this;
    }
  }

  private Sh() {}

  public static Result run(List<String> cmd) {
    return run(cmd, null);
  }

  /** In {@code dir}, or the current directory when null. */
  public static Result run(List<String> cmd, Path dir) {
    Proc.Result r = Proc.of(cmd).dir(dir).timeout(TestTime.of(TIMEOUT)).run();
    return new Result(r.exit(), r.timedOut() ? r.describe() : r.out());
  }

  public static String ok(String... cmd) {
    return run(List.of(cmd)).orThrow(List.of(cmd)).out();
  }

  /**
   * Sends a signal to a process we started (STOP, CONT, TERM, HUP...): a frozen API server, a
   * paused controller, a gateway told to reload.
   */
  public static void signal(Process p, String sig) {
    ok("kill", "-" + sig, Long.toString(p.pid()));
  }

  /** Best effort, for teardown: a failure is reported, never thrown. */
  public static void quietly(String... cmd) {
    Result r = run(List.of(cmd));
    if (r.exit() != 0 && !r.out().isBlank()) {
      System.err.println("teardown: " + String.join(" ", cmd) + ": " + r.out().strip());
    }
  }
}
