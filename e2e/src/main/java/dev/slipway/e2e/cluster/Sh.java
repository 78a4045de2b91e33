package dev.slipway.e2e.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Host commands the harness runs (ip, ctr, openssl, git, argocd): output merged, bounded in time. */
public final class Sh {
  public record Result(int exit, String out) {
    public Result orThrow(List<String> cmd) {
      if (exit != 0) {
        throw new IllegalStateException(String.join(" ", cmd) + " exited " + exit + ": " + out.strip());
      }
      return this;
    }
  }

  private Sh() {}

  public static Result run(List<String> cmd) {
    return run(cmd, null);
  }

  /** In {@code dir}, or the current directory when null. */
  public static Result run(List<String> cmd, java.nio.file.Path dir) {
    try {
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
      if (dir != null) pb.directory(dir.toFile());
      Process p = pb.start();
      p.getOutputStream().close();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return new Result(-1, "timed out: " + out);
      }
      return new Result(p.exitValue(), out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static String ok(String... cmd) {
    return run(List.of(cmd)).orThrow(List.of(cmd)).out();
  }

  /** Best effort, for teardown: a failure is reported, never thrown. */
  static void quietly(String... cmd) {
    Result r = run(List.of(cmd));
    if (r.exit() != 0 && !r.out().isBlank()) {
      System.err.println("teardown: " + String.join(" ", cmd) + ": " + r.out().strip());
    }
  }
}
