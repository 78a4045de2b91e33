package dev.slipway.e2e.images;

import dev.slipway.e2e.cluster.Crds;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The image tars the Maven build makes (profile "image", e2e/images/build.sh): the controller and
 * the sample app. A test that needs them and finds them missing builds them once with that
 * script, so `mvn -B verify` alone suffices; CI builds them in its reactor instead.
 */
public final class Images {
  public static final String CONTROLLER = "ghcr.io/slipway-dev/slipway-controller:0.1.0";
  public static final String SAMPLE_APP = "ghcr.io/slipway-dev/slipway-sample-app:0.1.0";

  private Images() {}

  public static Path controllerTar() {
    return ensure(Crds.repoRoot().resolve("controller/target/slipway-controller-image.tar"));
  }

  public static Path sampleAppTar() {
    return ensure(Crds.repoRoot().resolve("samples/target/slipway-sample-app-image.tar"));
  }

  private static synchronized Path ensure(Path tar) {
    if (Files.isRegularFile(tar)) {
      return tar;
    }
    Path script = Crds.repoRoot().resolve("e2e/images/build.sh");
    System.out.println("image tar " + tar + " missing: building the images with " + script);
    try {
      Process p = new ProcessBuilder("bash", script.toString()).inheritIO().start();
      if (!p.waitFor(20, TimeUnit.MINUTES) || p.exitValue() != 0) {
        throw new IllegalStateException(script + " failed; run it by hand to see why");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    if (!Files.isRegularFile(tar)) {
      throw new IllegalStateException(script + " ran but left no " + tar);
    }
    return tar;
  }

  /** The image's size as its tar (compressed layers), for the printed figures. */
  public static String size(Path tar) {
    try {
      return String.format("%.1f MiB", Files.size(tar) / 1048576.0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<String> names() {
    return List.of(CONTROLLER, SAMPLE_APP);
  }
}
