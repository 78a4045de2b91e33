package dev.slipway.e2e.tools;

import dev.slipway.e2e.cluster.Crds;
import dev.slipway.testing.Proc;
import dev.slipway.testing.TestTime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** krew, built from its Go module by e2e/plugin/build-krew.sh (once per machine). */
public final class Krew {
  private Krew() {}

  /** The directory holding {@code kubectl-krew}, to put on PATH. */
  public static synchronized Path dir() {
    Path krew = Path.of(System.getProperty("user.home"), ".cache/slipway/build/krew-0.4.3");
    if (!Files.isExecutable(krew.resolve("kubectl-krew"))) {
      Proc.of("bash", Crds.repoRoot().resolve("e2e/plugin/build-krew.sh").toString())
          .timeout(TestTime.of(Duration.ofMinutes(10)))
          .run()
          .orThrow();
    }
    return krew;
  }
}
