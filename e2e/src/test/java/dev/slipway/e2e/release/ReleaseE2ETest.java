package dev.slipway.e2e.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.e2e.tools.Helm;
import dev.slipway.e2e.tools.Kubectl;
import dev.slipway.e2e.workload.LocalRelease;
import dev.slipway.testing.Proc;
import dev.slipway.testing.TestTime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * The release, made by one command ({@code .ci/release.sh}) into a real registry on 127.0.0.1, as a
 * user checks it: real cosign verifies the controller image's signature and its SBOM and provenance
 * attestations with the release's public key, and refuses a tampered image and a wrong key; real
 * helm reads the chart from the registry, pointing at the image by digest; the plugin archive
 * matches its checksums and its krew manifest. InstallE2ETest installs from the same release on the
 * real node.
 */
@Order(1)
class ReleaseE2ETest {
  static LocalRelease.Made release;

  @BeforeAll
  static void made() {
    release = LocalRelease.get();
    System.out.printf(
        "release made by .ci/release.sh in %d ms:%n%s",
        release.took().toMillis(),
        release
            .summary()
            .lines()
            .filter(l -> !l.isBlank())
            .map(l -> "  " + l + "\n")
            .reduce("", String::concat));
  }

  static Proc.Result cosign(String... args) {
    List<String> cmd = new ArrayList<>(List.of(release.cosign().toString()));
    cmd.addAll(List.of(args));
    return Proc.of(cmd)
        .env("COSIGN_PASSWORD", LocalRelease.KEY_PASSWORD)
        .timeout(TestTime.of(Duration.ofSeconds(60)))
        .run();
  }

  /** cosign verify, as a user runs it against this registry; with a type, verify-attestation. */
  static Proc.Result verify(String image, Path key) {
    return cosign(
        "verify",
        "--key",
        key.toString(),
        "--insecure-ignore-tlog",
        "--allow-insecure-registry",
        image);
  }

  static Proc.Result verifyAttestation(String image, Path key, String type) {
    return cosign(
        "verify-attestation",
        "--key",
        key.toString(),
        "--insecure-ignore-tlog",
        "--allow-insecure-registry",
        "--type",
        type,
        image);
  }

  @Test
  void theImagesAreSignedWithTheirSbomAndProvenanceAttested() {
    for (String image : List.of(release.controller(), release.sampleApp())) {
      Proc.Result sig = verify(image, release.publicKey());
      assertTrue(sig.ok(), sig.describe());
      assertTrue(sig.out().contains(image.substring(image.indexOf('@') + 1)), sig.out());
      for (String type : List.of("cyclonedx", "slsaprovenance1")) {
        Proc.Result att = verifyAttestation(image, release.publicKey(), type);
        assertTrue(att.ok(), type + ": " + att.describe());
      }
    }
    System.out.println(
        "cosign verify: signature, CycloneDX SBOM and SLSA provenance verified for "
            + release.controller()
            + " and "
            + release.sampleApp());
  }

  @Test
  void aTamperedImageAndAWrongKeyAreRefused() throws IOException {
    // The same image with one label changed: another digest, which nobody signed.
    String tampered =
        release.variant(release.controller(), "tampered=yes", "slipway-controller:tampered");
    assertTrue(tampered.contains("@sha256:"), tampered);
    assertNotEquals(release.controller(), tampered);
    Proc.Result refused = verify(tampered, release.publicKey());
    assertNotEquals(0, refused.exit(), "a tampered image verified: " + refused.describe());
    assertTrue(
        refused.out().contains("no signatures found")
            || refused.out().contains("no matching signatures"),
        refused.out());

    Path other = Files.createTempDirectory("other-key");
    Proc.Result keys =
        cosign("generate-key-pair", "--output-key-prefix", other.resolve("other").toString());
    assertTrue(keys.ok(), keys.describe());
    Proc.Result wrongKey = verify(release.controller(), other.resolve("other.pub"));
    assertNotEquals(0, wrongKey.exit(), "verified with another key: " + wrongKey.describe());
    System.out.printf(
        "cosign verify refuses the tampered image %s (exit %d) and the release image with another key (exit %d)%n",
        tampered, refused.exit(), wrongKey.exit());
  }

  @Test
  void theChartInTheRegistryRunsTheSignedImageByDigest() {
    Helm helm = new Helm(null);
    Kubectl.Result values =
        helm.run("show", "values", release.chart(), "--version", release.version(), "--plain-http");
    assertEquals(0, values.exit(), values.out());
    String digest = release.controller().substring(release.controller().indexOf('@') + 1);
    assertTrue(values.out().contains("digest: \"" + digest + "\""), values.out());
    Kubectl.Result rendered =
        helm.run(
            "template",
            "slipway",
            release.chart(),
            "--version",
            release.version(),
            "--plain-http",
            "-n",
            "slipway-system");
    assertEquals(0, rendered.exit(), rendered.out());
    assertTrue(rendered.out().contains("image: " + release.controller()), rendered.out());
    Kubectl.Result chart =
        helm.run("show", "chart", release.chart(), "--version", release.version(), "--plain-http");
    assertTrue(chart.out().contains("version: " + release.version()), chart.out());
    assertTrue(chart.out().contains("appVersion: " + release.version()), chart.out());
    System.out.println(
        "helm: chart "
            + release.chart()
            + " "
            + release.version()
            + " runs "
            + release.controller());
  }

  @Test
  void thePluginArchiveMatchesItsChecksumsAndItsKrewManifest() throws IOException {
    Proc.Result sums =
        Proc.of("sha256sum", "-c", "SHA256SUMS")
            .dir(release.dir())
            .timeout(Duration.ofSeconds(30))
            .run();
    assertTrue(sums.ok(), sums.describe());
    String archive = "kubectl-slipway-" + release.version() + ".tar.gz";
    String manifest = Files.readString(release.dir().resolve("slipway.krew.yaml"));
    String sha =
        Proc.of("sha256sum", archive)
            .dir(release.dir())
            .timeout(Duration.ofSeconds(30))
            .run()
            .out()
            .split(" ")[0];
    assertTrue(manifest.contains("sha256: \"" + sha + "\""), manifest);
    assertTrue(manifest.contains("version: \"v" + release.version() + "\""), manifest);
    assertTrue(manifest.contains("/" + archive + "\""), manifest);
    System.out.println(
        "plugin " + archive + " sha256 " + sha + ": SHA256SUMS and krew manifest agree");
  }
}
