package dev.slipway.e2e.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Real helm (built by e2e/node/build.sh from helm.sh/helm/v3), as platform engineers run it. */
public final class Helm {
  public static final Path CHART = Crds.repoRoot().resolve("samples/install/helm/slipway");
  private final Path kubeconfig;

  public Helm(Path kubeconfig) {
    this.kubeconfig = kubeconfig;
  }

  public static Path binary() {
    Path built = LocalControlPlane.binDir().resolve("helm");
    if (!Files.isExecutable(built)) {
      throw new IllegalStateException("helm not built: run e2e/node/build.sh (mvn verify runs it)");
    }
    return built;
  }

  /** helm ARGS with stdout and stderr merged; the kubeconfig is passed when there is one. */
  public Kubectl.Result run(String... args) {
    List<String> cmd = new ArrayList<>(List.of(binary().toString()));
    cmd.addAll(List.of(args));
    if (kubeconfig != null) {
      cmd.add("--kubeconfig=" + kubeconfig);
    }
    try {
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
      // helm keeps its caches and repositories under these; a test run must not touch the user's.
      Path home = Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir"), "slipway-helm-home"));
      pb.environment().put("HELM_CACHE_HOME", home.resolve("cache").toString());
      pb.environment().put("HELM_CONFIG_HOME", home.resolve("config").toString());
      pb.environment().put("HELM_DATA_HOME", home.resolve("data").toString());
      Process p = pb.start();
      p.getOutputStream().close();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(dev.slipway.testing.TestTime.seconds(300), TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("helm timed out: " + cmd);
      }
      return new Kubectl.Result(p.exitValue(), out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
