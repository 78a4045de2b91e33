package dev.slipway.e2e.tools;

import dev.slipway.e2e.cluster.Crds;
import dev.slipway.e2e.cluster.LocalControlPlane;
import dev.slipway.testing.Proc;
import dev.slipway.testing.TestTime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Real kubectl, as release engineers and Argo CD's users run it. */
public final class Kubectl {
  /** One kubectl call may take this long (scaled with load). */
  static final Duration TIMEOUT = Duration.ofSeconds(60);

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
  /**
   * The documented one-liner for a manual action (docs/kubectl.md): a merge patch of the Rollout's
   * status.request, through the status subresource.
   */
  public Result request(String namespace, String rollout, String action) {
    return run(
        null,
        "patch",
        "rollout.slipway.dev/" + rollout,
        "-n",
        namespace,
        "--subresource=status",
        "--type=merge",
        "-p",
        "{\"status\":{\"request\":{\"action\":\"" + action + "\"}}}");
  }

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
    List<String> cmd =
        new ArrayList<>(List.of(binary(), "slipway", "__complete", "--kubeconfig=" + kubeconfig));
    cmd.addAll(List.of(words));
    return exec(cmd, null, true);
  }

  /**
   * Runs the command with stdout and stderr merged, its process tree killed at the (load-scaled)
   * timeout.
   */
  private Result exec(List<String> cmd, String stdin, boolean pluginPath) {
    Proc p = Proc.of(cmd).stdin(stdin).timeout(TestTime.of(TIMEOUT));
    if (pluginPath) {
      p.env("PATH", Crds.repoRoot().resolve("controller/bin") + ":" + System.getenv("PATH"));
    }
    Proc.Result r = p.run();
    if (r.timedOut()) {
      throw new IllegalStateException("kubectl " + r.describe());
    }
    return new Result(r.exit(), r.out());
  }
}
