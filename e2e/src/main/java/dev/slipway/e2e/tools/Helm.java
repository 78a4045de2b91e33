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
import java.util.Map;

/** Real helm (built by e2e/node/build.sh from helm.sh/helm/v3), as platform engineers run it. */
public final class Helm {
  public static final Path CHART = Crds.repoRoot().resolve("samples/install/helm/slipway");

  /** One helm call (an install waits for pods) may take this long, scaled with load. */
  static final Duration TIMEOUT = Duration.ofMinutes(5);

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
    Proc.Result r = Proc.of(cmd).timeout(TestTime.of(TIMEOUT)).env(env()).run();
    if (r.timedOut()) {
      throw new IllegalStateException("helm " + r.describe());
    }
    return new Kubectl.Result(r.exit(), r.out());
  }

  /** helm keeps its caches and repositories under these; a test run must not touch the user's. */
  public static Map<String, String> env() {
    Path home = Path.of(System.getProperty("java.io.tmpdir"), "slipway-helm-home");
    return Map.of(
        "HELM_CACHE_HOME", home.resolve("cache").toString(),
        "HELM_CONFIG_HOME", home.resolve("config").toString(),
        "HELM_DATA_HOME", home.resolve("data").toString());
  }
}
