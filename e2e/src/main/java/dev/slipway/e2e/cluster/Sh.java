package dev.slipway.e2e.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Host commands the node harness runs (ip, ctr, openssl, umount): output merged, bounded in time. */
final class Sh {
  record Result(int exit, String out) {
    Result orThrow(List<String> cmd) {
      if (exit != 0) {
        throw new IllegalStateException(String.join(" ", cmd) + " exited " + exit + ": " + out.strip());
      }
      return this;
    }
  }

  private Sh() {}

  static Result run(List<String> cmd) {
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
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
