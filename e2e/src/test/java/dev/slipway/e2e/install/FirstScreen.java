package dev.slipway.e2e.install;

import dev.slipway.e2e.cluster.Crds;
import dev.slipway.e2e.tools.Helm;
import dev.slipway.e2e.tools.Krew;
import dev.slipway.e2e.tools.Kubectl;
import dev.slipway.e2e.tools.Readme;
import dev.slipway.e2e.tools.TempDirs;
import dev.slipway.e2e.workload.LocalRelease;
import dev.slipway.testing.Proc;
import dev.slipway.testing.TestTime;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * A shell as a newcomer has one after the README's first screen: kubectl, helm, cosign and krew on
 * PATH (here: the ones the harness built), the cluster in KUBECONFIG, a HOME of its own, the
 * checkout as the working directory. Each README command runs through bash as written, but for the
 * placeholders and this machine's additions, all printed.
 */
final class FirstScreen {
  static final String INSTALL = LocalRelease.INSTALL;
  static final String FIRST_CANARY = "A first canary";

  private final Map<String, String> env = new HashMap<>();
  private final Path krewRoot;

  FirstScreen(Path kubeconfig, Path tools) {
    try {
      Path home = Files.createTempDirectory("slipway-newcomer");
      TempDirs.deleteAtExit(home);
      krewRoot = home.resolve("krew");
      String kubectlDir = Path.of(Kubectl.binary()).toAbsolutePath().getParent().toString();
      env.putAll(Helm.env());
      env.put("HOME", home.toString());
      env.put("KUBECONFIG", kubeconfig.toString());
      env.put("KREW_ROOT", krewRoot.toString());
      env.put(
          "PATH",
          String.join(
              ":",
              krewRoot.resolve("bin").toString(),
              Krew.dir().toString(),
              tools.toString(),
              Helm.binary().getParent().toString(),
              kubectlDir,
              System.getenv("PATH")));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The README command, localized; stdout and stderr merged. */
  Proc.Result run(
      String command, Map<String, String> placeholders, String additions, Duration timeout) {
    String local = Readme.local(command, placeholders, additions);
    System.out.printf("README: %s%n  run here as: %s%n", command, local);
    Proc.Result r =
        Proc.of("bash", "-c", local)
            .dir(Crds.repoRoot())
            .env(env)
            .timeout(TestTime.of(timeout))
            .run();
    System.out.println("  exit " + (r.timedOut() ? "(stopped)" : r.exit()));
    return r;
  }

  Proc.Result run(String command) {
    return run(command, Map.of(), "", Duration.ofMinutes(2));
  }
}
