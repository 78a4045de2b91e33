package dev.slipway.e2e.workload;

import dev.slipway.e2e.cluster.Crds;
import dev.slipway.e2e.cluster.Ports;
import dev.slipway.e2e.images.Images;
import dev.slipway.e2e.tools.Await;
import dev.slipway.e2e.tools.Daemons;
import dev.slipway.e2e.tools.Readme;
import dev.slipway.e2e.tools.TempDirs;
import dev.slipway.testing.Proc;
import dev.slipway.testing.TestTime;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Slipway release as users get one: {@code .ci/release.sh} run once per test JVM into a real OCI
 * registry (go-containerregistry's, built from its Go module) listening on 127.0.0.1, signed with a
 * cosign key pair made here. The release tests check it; the install test installs from it.
 */
public final class LocalRelease {
  /** The cosign key's password: users keep one, so the test does too. */
  public static final String KEY_PASSWORD = "slipway-release-test";

  /** What the release script made: references by digest, the chart's version, the files. */
  public record Made(
      String registry,
      String controller,
      String sampleApp,
      String version,
      Path dir,
      Path tools,
      Path privateKey,
      Path publicKey,
      String summary,
      Duration took) {
    public String chart() {
      return "oci://" + registry + "/charts/slipway";
    }

    public Path crane() {
      return tools.resolve("crane");
    }

    public Path cosign() {
      return tools.resolve("cosign");
    }

    /**
     * A new image made from {@code image} with one label added, tagged {@code tag} in the release's
     * registry: another digest, which nobody signed (crane mutate). Returns repository@digest.
     */
    public String variant(String image, String label, String tag) {
      return Proc.of(
              crane().toString(),
              "mutate",
              "--insecure",
              "--label",
              label,
              "-t",
              registry + "/" + tag,
              image)
          .timeout(TestTime.of(Duration.ofSeconds(60)))
          .run()
          .orThrow()
          .out()
          .strip()
          .lines()
          .reduce((a, b) -> b)
          .orElseThrow();
    }

    /** The digest of the layer holding cosign's signature of {@code image} (repository@digest). */
    public String signatureLayer(String image) {
      int at = image.indexOf('@');
      String sigTag =
          image.substring(0, at) + ":" + image.substring(at + 1).replace(':', '-') + ".sig";
      String manifest =
          Proc.of(crane().toString(), "manifest", "--insecure", sigTag)
              .timeout(TestTime.of(Duration.ofSeconds(30)))
              .run()
              .orThrow()
              .out();
      try {
        return Serialization.jsonMapper()
            .readTree(manifest)
            .path("layers")
            .get(0)
            .path("digest")
            .asText();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /** The registry's host:port, where containerd pulls from (plain HTTP on loopback). */
    public String host() {
      return registry.substring(0, registry.indexOf('/'));
    }
  }

  /** The README section whose commands install a release. */
  public static final String INSTALL = "Install on an existing cluster";

  private static Made made;
  private static Process registry;

  private LocalRelease() {}

  /** The release, made on first use. */
  public static synchronized Made get() {
    if (made == null) made = make();
    return made;
  }

  private static Made make() {
    try {
      Path root = Crds.repoRoot();
      Path dir = Files.createTempDirectory("slipway-release");
      TempDirs.deleteAtExit(dir);
      Path tools =
          Path.of(
              run(List.of("bash", root.resolve("e2e/release/build-tools.sh").toString()), root, 900)
                  .strip()
                  .lines()
                  .reduce((a, b) -> b)
                  .orElseThrow());
      // The image tars the release pushes (built once per checkout, as the other tests use them).
      Images.controllerTar();
      Images.sampleAppTar();
      int port = Ports.free();
      registry =
          Daemons.start(
              List.of(
                  tools.resolve("crane").toString(),
                  "registry",
                  "serve",
                  "--address",
                  "127.0.0.1:" + port,
                  "--disk",
                  Files.createDirectories(dir.resolve("registry")).toString()),
              dir.resolve("registry.log"));
      Runtime.getRuntime().addShutdownHook(new Thread(() -> registry.destroy()));
      HttpClient http = HttpClient.newHttpClient();
      Await.until("the registry answering on 127.0.0.1:" + port, Duration.ofSeconds(30))
          .every(Duration.ofMillis(100))
          .holds(
              () -> {
                try {
                  return http.send(
                              HttpRequest.newBuilder(
                                      URI.create("http://127.0.0.1:" + port + "/v2/"))
                                  .build(),
                              HttpResponse.BodyHandlers.discarding())
                          .statusCode()
                      == 200;
                } catch (IOException e) {
                  return false;
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                  return false;
                }
              });
      Path keys = Files.createDirectories(dir.resolve("keys"));
      Proc.of(
              tools.resolve("cosign").toString(),
              "generate-key-pair",
              "--output-key-prefix",
              keys.resolve("release").toString())
          .env("COSIGN_PASSWORD", KEY_PASSWORD)
          .timeout(TestTime.of(Duration.ofSeconds(60)))
          .run()
          .orThrow();
      String reg = "127.0.0.1:" + port + "/slipway";
      // The README's command, run as written but for this machine's registry and key, a plain-HTTP
      // registry, images this build already made, and an output directory of its own.
      String readme = Readme.command(INSTALL, ".ci/release.sh");
      String command =
          Readme.local(
              readme,
              Map.of(
                  "REGISTRY",
                  "127.0.0.1:" + port,
                  "cosign.key",
                  keys.resolve("release.key").toString()),
              "--plain-http --skip-build --out " + dir.resolve("out"));
      System.out.printf("README: %s%n  run here as: %s%n", readme, command);
      long t0 = System.nanoTime();
      String summary =
          Proc.of("bash", "-c", command)
              .dir(root)
              .env("COSIGN_PASSWORD", KEY_PASSWORD)
              .timeout(TestTime.of(Duration.ofMinutes(5)))
              .run()
              .orThrow()
              .out();
      Duration took = Duration.ofNanos(System.nanoTime() - t0);
      return new Made(
          reg,
          line(summary, "image (\\S+/slipway-controller@sha256:[0-9a-f]{64})"),
          line(summary, "image (\\S+/slipway-sample-app@sha256:[0-9a-f]{64})"),
          line(summary, "release (\\S+) "),
          dir.resolve("out"),
          tools,
          keys.resolve("release.key"),
          keys.resolve("release.pub"),
          summary,
          took);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String run(List<String> cmd, Path dir, int seconds) {
    return Proc.of(cmd)
        .dir(dir)
        .timeout(TestTime.of(Duration.ofSeconds(seconds)))
        .run()
        .orThrow()
        .out();
  }

  private static String line(String summary, String pattern) {
    Matcher m = Pattern.compile(pattern).matcher(summary);
    if (!m.find())
      throw new IllegalStateException("release.sh printed no " + pattern + ":\n" + summary);
    return m.group(1);
  }
}
