package dev.slipway.e2e.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Real kubectl, as release engineers and Argo CD's users run it. */
public final class Kubectl {
  private final Path kubeconfig;

  public Kubectl(Path kubeconfig) {
    this.kubeconfig = kubeconfig;
  }

  /** The binary: the one built with the control plane, else kubectl on PATH. */
  public static String binary() {
    Path built = LocalControlPlane.binDir().resolve("kubectl");
    return Files.isExecutable(built) ? built.toString() : "kubectl";
  }

  public record Result(int exit, String out) {}

  public Result run(String stdin, String... args) {
    List<String> cmd = new ArrayList<>(List.of(binary(), "--kubeconfig=" + kubeconfig));
    cmd.addAll(List.of(args));
    return exec(cmd, stdin, false);
  }

  /**
   * {@code kubectl slipway ARGS}, found by kubectl's own plugin lookup on PATH (controller/bin
   * first). kubectl passes no global flags to plugins, so --kubeconfig goes after the arguments.
   */
  public Result plugin(String... args) {
    List<String> cmd = new ArrayList<>(List.of(binary(), "slipway"));
    cmd.addAll(List.of(args));
    cmd.add("--kubeconfig=" + kubeconfig);
    return exec(cmd, null, true);
  }

  /**
   * {@code kubectl slipway __complete --kubeconfig=K WORDS}: what shell completion runs, with the
   * kubeconfig among the typed words (a trailing one would be the word being completed).
   */
  public Result complete(String... words) {
    List<String> cmd = new ArrayList<>(List.of(binary(), "slipway", "__complete", "--kubeconfig=" + kubeconfig));
    cmd.addAll(List.of(words));
    return exec(cmd, null, true);
  }

  /** Runs the command with stdout and stderr merged. */
  private Result exec(List<String> cmd, String stdin, boolean pluginPath) {
    try {
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
      if (pluginPath) {
        pb.environment().put("PATH", Crds.repoRoot().resolve("controller/bin") + ":" + System.getenv("PATH"));
      }
      Process p = pb.start();
      if (stdin != null) {
        p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
      }
      p.getOutputStream().close();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(dev.slipway.testing.TestTime.seconds(60), TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("kubectl timed out: " + cmd);
      }
      return new Result(p.exitValue(), out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
