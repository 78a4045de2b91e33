package dev.slipway.e2e.image;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.api.v1alpha1.Rollout;
import dev.slipway.e2e.Prerequisites;
import dev.slipway.e2e.cluster.LocalControlPlane;
import dev.slipway.e2e.cluster.Ports;
import dev.slipway.e2e.cluster.Stacks;
import dev.slipway.e2e.images.Images;
import dev.slipway.testing.Proc;
import dev.slipway.testing.TestTime;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * The controller image as a container runtime runs it, without a node: podman loads the tar and
 * runs it read-only, as its non-root user, in the in-cluster environment a pod would have (a
 * mounted ServiceAccount token and CA, KUBERNETES_SERVICE_HOST), against the local API server.
 * Prints the image's size and its start to /health UP and to its first reconcile.
 */
@Order(7)
class ImageE2ETest {
  static final String NAME = "slipway-image-e2e";
  static LocalControlPlane cp;

  @BeforeAll
  static void up() {
    Prerequisites.need(Prerequisites.executable("podman", "/usr/bin/podman"));
    cp = LocalControlPlane.apiOnly();
    Stacks.prepare(cp);
  }

  @AfterAll
  static void down() {
    run(List.of("podman", "rm", "-f", NAME));
    if (cp != null) cp.close();
  }

  @Test
  void theImageRunsReadOnlyAsNonRootInTheInClusterEnvironment() throws Exception {
    Path tar = Images.controllerTar();
    String loaded = run(List.of("podman", "load", "-q", "-i", tar.toString()));
    assertTrue(loaded.contains(Images.CONTROLLER), loaded);
    String unpacked =
        run(List.of("podman", "image", "inspect", "--format", "{{.Size}}", Images.CONTROLLER))
            .strip();
    String labels =
        run(List.of(
                "podman",
                "image",
                "inspect",
                "--format",
                "{{json .Config.Labels}}",
                Images.CONTROLLER))
            .strip();
    System.out.printf(
        "controller image %s: %s as a tar, %.1f MiB unpacked; labels %s%n",
        Images.CONTROLLER, Images.size(tar), Long.parseLong(unpacked) / 1048576.0, labels);
    assertTrue(
        labels.contains("org.opencontainers.image.revision")
            && labels.contains("org.opencontainers.image.source"),
        labels);
    assertTrue(
        Files.isRegularFile(tar.resolveSibling("slipway-controller-image.sbom.json")),
        "the SBOM lies beside the image");

    // What the kubelet would mount at /var/run/secrets/kubernetes.io/serviceaccount.
    Path sa = Files.createDirectories(cp.dir().resolve("image-sa"));
    String token =
        cp.admin()
            .serviceAccounts()
            .inNamespace("slipway-system")
            .withName("slipway-controller")
            .tokenRequest(
                new TokenRequestBuilder()
                    .withNewSpec()
                    .withExpirationSeconds(3600L)
                    .endSpec()
                    .build())
            .getStatus()
            .getToken();
    Files.writeString(sa.resolve("token"), token);
    Files.copy(cp.caCert(), sa.resolve("ca.crt"));
    Files.writeString(sa.resolve("namespace"), "slipway-system");
    for (Path f : List.of(sa.resolve("token"), sa.resolve("ca.crt"), sa.resolve("namespace"))) {
      Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
    }
    // The image's own JVM options, with the class-data archive made mandatory: a stale or missing
    // archive fails the start instead of silently costing the start-up it exists to save.
    String env =
        run(List.of(
                "podman",
                "image",
                "inspect",
                "--format",
                "{{json .Config.Env}}",
                Images.CONTROLLER))
            .strip();
    Matcher m = Pattern.compile("\"JDK_JAVA_OPTIONS=([^\"]*)\"").matcher(env);
    assertTrue(m.find() && m.group(1).contains("-XX:SharedArchiveFile=/app/cds/slipway.jsa"), env);
    String jvmOptions = m.group(1) + " -Xshare:on";
    int port = Ports.free();
    long start = System.nanoTime();
    String id =
        run(List.of(
                "podman",
                "run",
                "-d",
                "--name",
                NAME,
                "--network",
                "host",
                "--read-only",
                "--tmpfs",
                "/tmp",
                "--cap-drop",
                "ALL",
                "--security-opt",
                "no-new-privileges",
                "-v",
                sa + ":/var/run/secrets/kubernetes.io/serviceaccount:ro",
                "-e",
                "KUBERNETES_SERVICE_HOST=127.0.0.1",
                "-e",
                "KUBERNETES_SERVICE_PORT=" + cp.apiPort(),
                "-e",
                "SLIPWAY_HTTP_HOST=127.0.0.1",
                "-e",
                "SLIPWAY_HTTP_PORT=" + port,
                "-e",
                "SLIPWAY_LOG_FORMAT=JSON",
                "-e",
                "JDK_JAVA_OPTIONS=" + jvmOptions,
                Images.CONTROLLER))
            .strip();
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();
    long upAt = 0;
    String health = "";
    while (System.nanoTime() - start < TimeUnit.SECONDS.toNanos(TestTime.seconds(120))) {
      try {
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                    .timeout(Duration.ofSeconds(2))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        health = r.body();
        if (r.statusCode() == 200 && health.contains("\"UP\"")) {
          upAt = System.nanoTime();
          break;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(50);
    }
    assertTrue(
        upAt > 0,
        "no /health UP within 120 s: " + health + "\n" + run(List.of("podman", "logs", NAME)));

    // The first reconcile: a Rollout in a fresh namespace gets its status.
    cp.admin()
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName("img").endMetadata().build())
        .create();
    long created = System.nanoTime();
    cp.admin()
        .resources(Rollout.class)
        .inNamespace("img")
        .resource(
            Serialization.unmarshal(
                """
        apiVersion: slipway.dev/v1alpha1
        kind: Rollout
        metadata: {name: first, namespace: img}
        spec:
          replicas: 1
          selector: {matchLabels: {app: first}}
          template:
            metadata: {labels: {app: first}}
            spec: {containers: [{name: app, image: example.com/app:1}]}
          strategy: {canary: {stableService: first-stable, canaryService: first-canary, steps: [{pause: {}}]}}
        """,
                Rollout.class))
        .create();
    cp.admin()
        .resources(Rollout.class)
        .inNamespace("img")
        .withName("first")
        .waitUntilCondition(
            r -> r != null && r.getStatus() != null && r.getStatus().observedGeneration() != null,
            TestTime.seconds(60),
            TimeUnit.SECONDS);
    long reconciled = System.nanoTime();

    // The image has no shell or cat: read the process's credentials from the host's /proc.
    String pid = run(List.of("podman", "inspect", "--format", "{{.State.Pid}}", NAME)).strip();
    String user =
        Files.readAllLines(Path.of("/proc", pid, "status")).stream()
            .filter(l -> l.startsWith("Uid:"))
            .findFirst()
            .orElse("");
    String logs = run(List.of("podman", "logs", NAME));
    System.out.printf(
        "image started with podman (read-only root, %s, in-cluster config, its class-data archive): /health UP %d ms after `podman run`; "
            + "a new Rollout reconciled %d ms after its creation%n",
        user.replaceAll("\\s+", " ").strip(),
        (upAt - start) / 1_000_000,
        (reconciled - created) / 1_000_000);
    assertTrue(user.contains("65532"), user);
    assertTrue(
        logs.lines().anyMatch(l -> l.startsWith("{") && l.contains("\"level\"")),
        "JSON logs: " + logs);
    assertTrue(!id.isEmpty());
  }

  static String run(List<String> cmd) {
    return Proc.of(cmd).timeout(TestTime.of(Duration.ofSeconds(120))).run().out();
  }
}
