package dev.slipway.e2e.images;

import dev.slipway.e2e.cluster.Crds;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * The image tars the Maven build makes (profile "image", e2e/images/build.sh): the controller and
 * the sample app. A test that needs them and finds them missing, or older than the sources they are
 * built from, builds them once with that script, so `mvn -B verify` alone suffices.
 */
public final class Images {
  private static final Properties BUILT = Versions.load(Images.class, "images.properties");
  public static final String CONTROLLER =
      BUILT.getProperty("registry") + "/slipway-controller:" + BUILT.getProperty("tag");
  public static final String SAMPLE_APP =
      BUILT.getProperty("registry") + "/slipway-sample-app:" + BUILT.getProperty("tag");

  private Images() {}

  public static Path controllerTar() {
    return ensure(Crds.repoRoot().resolve("controller/target/slipway-controller-image.tar"));
  }

  public static Path sampleAppTar() {
    return ensure(Crds.repoRoot().resolve("samples/target/slipway-sample-app-image.tar"));
  }

  private static synchronized Path ensure(Path tar) {
    String stale = staleness(tar);
    if (stale == null) {
      return tar;
    }
    Path script = Crds.repoRoot().resolve("e2e/images/build.sh");
    System.out.println("image tar " + tar + " " + stale + ": building the images with " + script);
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

  /**
   * Why the tar must be (re)built, or null when it is newer than every source that goes into it.
   */
  static String staleness(Path tar) {
    if (!Files.isRegularFile(tar)) {
      return "missing";
    }
    try {
      long built = Files.getLastModifiedTime(tar).toMillis();
      Path root = Crds.repoRoot();
      for (String dir :
          List.of(
              "pom.xml",
              "crds/pom.xml",
              "crds/src/main",
              "analysis/pom.xml",
              "analysis/src/main",
              "controller/pom.xml",
              "controller/src/main",
              "controller/shared/pom.xml",
              "controller/shared/src/main",
              "samples/pom.xml",
              "samples/src/main")) {
        try (var files = Files.walk(root.resolve(dir))) {
          var newer =
              files
                  .filter(Files::isRegularFile)
                  .filter(
                      f -> {
                        try {
                          return Files.getLastModifiedTime(f).toMillis() > built;
                        } catch (IOException e) {
                          return true;
                        }
                      })
                  .findFirst();
          if (newer.isPresent()) {
            return "older than " + root.relativize(newer.get());
          }
        }
      }
      return null;
    } catch (IOException e) {
      return "unreadable (" + e.getMessage() + ")";
    }
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
