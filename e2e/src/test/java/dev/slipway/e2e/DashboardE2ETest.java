package dev.slipway.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.api.v1alpha1.CanaryStep;
import dev.slipway.api.v1alpha1.RevisionState;
import dev.slipway.controller.reconcile.ClusterFixture;
import dev.slipway.e2e.cluster.Crds;
import dev.slipway.e2e.tools.Await;
import dev.slipway.e2e.tools.Daemons;
import dev.slipway.e2e.tools.Kubectl;
import dev.slipway.testing.Proc;
import dev.slipway.testing.TestTime;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * {@code kubectl slipway dashboard} on a live canary, looked at by a real browser: Debian's
 * Chromium, headless, renders the page (its script fetches the plugin's read-only API) and saves
 * screenshots to e2e/target/screenshots; its rendered DOM must show the Rollout's step, weight and
 * evidence timeline.
 */
@ResourceLock(Lanes.KWOK_B)
@Order(22)
class DashboardE2ETest {
  @Test
  void aRealBrowserShowsStepsWeightsAndTheEvidenceTimeline() throws Exception {
    Prerequisites.need(
        Prerequisites.executable(
            "Debian's chromium", "/usr/bin/chromium", "/usr/bin/chromium-browser"));
    String chromium =
        List.of("/usr/bin/chromium", "/usr/bin/chromium-browser").stream()
            .filter(p -> Files.isExecutable(Path.of(p)))
            .findFirst()
            .orElseThrow();
    try (KwokStack stack = new KwokStack(Lanes.KWOK_B)) {
      ClusterFixture f = stack.namespace("dash");
      f.createServicesAndRoute();
      f.client
          .resource(
              f.rollout(
                  "d:1", CanaryStep.weight(20), CanaryStep.pause(null), CanaryStep.weight(50)))
          .create();
      List<String> trace = new ArrayList<>();
      RolloutAwait.status(f, s -> s.state() == RevisionState.Stable, Duration.ofSeconds(90), trace);
      f.newImage("d:2");
      RolloutAwait.status(
          f,
          s -> s.state() == RevisionState.Paused && Integer.valueOf(20).equals(s.verifiedWeight()),
          Duration.ofSeconds(90),
          trace);

      int port;
      try (var s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        port = s.getLocalPort();
      }
      Process dashboard =
          Daemons.start(
              List.of(
                  Kubectl.binary(),
                  "slipway",
                  "dashboard",
                  "--port",
                  String.valueOf(port),
                  "-n",
                  "dash",
                  "--kubeconfig=" + stack.cp.adminKubeconfig()),
              stack.cp.dir().resolve("dashboard.log"),
              Map.of(
                  "PATH", Crds.repoRoot().resolve("controller/bin") + ":" + System.getenv("PATH")));
      try {
        String base = "http://127.0.0.1:" + port + "/";
        HttpClient http = HttpClient.newHttpClient();
        String api = null;
        for (int i = 0; i < 300 && api == null; i++) {
          try {
            var r =
                http.send(
                    HttpRequest.newBuilder(URI.create(base + "api/rollouts")).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 200) api = r.body();
          } catch (IOException notYet) {
            Await.sleep(100);
          }
        }
        assertTrue(api != null && api.contains("\"name\":\"demo\""), "the API answers: " + api);
        var post =
            http.send(
                HttpRequest.newBuilder(URI.create(base + "api/rollouts"))
                    .POST(HttpRequest.BodyPublishers.noBody())
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(405, post.statusCode(), "read-only");
        assertTrue(post.body().startsWith("{\"error\":"), "a refusal is JSON: " + post.body());
        // DNS rebinding: a foreign page that got its name resolved to 127.0.0.1 still names itself.
        String rebound = rawGet(port, "/api/rollouts", "Host: evil.example.com:" + port);
        String foreignOrigin =
            rawGet(
                port,
                "/api/rollouts",
                "Host: 127.0.0.1:" + port,
                "Origin: http://evil.example.com");
        String missing = rawGet(port, "/api/nothing", "Host: localhost:" + port);
        System.out.println(
            "dashboard refuses a foreign Host: "
                + rebound.lines().findFirst().orElse("")
                + " "
                + lastLine(rebound));
        System.out.println(
            "dashboard refuses a foreign Origin: "
                + foreignOrigin.lines().findFirst().orElse("")
                + " "
                + lastLine(foreignOrigin));
        assertTrue(
            rebound.startsWith("HTTP/1.1 403")
                && lastLine(rebound).contains("not Host \\\"evil.example.com:" + port)
                && !rebound.contains("demo"),
            rebound);
        assertTrue(
            foreignOrigin.startsWith("HTTP/1.1 403")
                && lastLine(foreignOrigin).contains("not Origin"),
            foreignOrigin);
        assertTrue(
            missing.startsWith("HTTP/1.1 404")
                && lastLine(missing).startsWith("{\"error\":\"not found: /api/nothing\"}"),
            missing);

        Path shots = Crds.repoRoot().resolve("e2e/target/screenshots");
        Files.createDirectories(shots);
        String list =
            chromium(chromium, "--screenshot=" + shots.resolve("dashboard-list.png"), base);
        String detail =
            chromium(
                chromium,
                "--screenshot=" + shots.resolve("dashboard-detail.png"),
                base + "#dash/demo");
        String dom = chromium(chromium, "--dump-dom", base + "#dash/demo");
        for (Path p :
            List.of(shots.resolve("dashboard-list.png"), shots.resolve("dashboard-detail.png"))) {
          System.out.println("screenshot " + p + ": " + Files.size(p) + " bytes");
          assertTrue(Files.size(p) > 10_000, p + " is a real rendering");
        }
        assertTrue(
            dom.contains("dash/demo") && dom.contains("2/3") && dom.contains("20%"),
            "step and weight rendered:\n" + dom);
        assertTrue(dom.contains("current\">2. pause"), "the current step (2: the pause) is marked");
        assertTrue(
            dom.contains("Evidence timeline")
                && dom.contains("WeightSet")
                && dom.contains("Transition"),
            "the evidence timeline rendered");
        System.out.println(
            "chromium rendered the dashboard: "
                + dom.length()
                + " characters of DOM; list "
                + list.strip().length()
                + ", detail "
                + detail.strip().length()
                + " characters of output");
      } finally {
        dashboard.destroy();
        dashboard.waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  /**
   * A GET with headers of our choosing (HttpClient will not set Host), to the dashboard on
   * 127.0.0.1 only.
   */
  static String rawGet(int port, String path, String... headers) throws Exception {
    try (var socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      socket.setSoTimeout(10_000);
      String request =
          "GET "
              + path
              + " HTTP/1.1\r\n"
              + String.join("\r\n", headers)
              + "\r\nConnection: close\r\n\r\n";
      socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  static String lastLine(String response) {
    String[] lines = response.split("\r?\n");
    return lines[lines.length - 1];
  }

  /**
   * Headless Chromium on loopback; its scripts get a few seconds of virtual time to fetch and
   * render.
   */
  static String chromium(String binary, String what, String url) throws Exception {
    Path profile = Files.createTempDirectory("chromium-profile");
    Proc.Result r =
        Proc.of(
                binary,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--hide-scrollbars",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--user-data-dir=" + profile,
                "--window-size=1280,1000",
                "--virtual-time-budget=5000",
                what,
                url)
            .separateStderr()
            .timeout(TestTime.of(Duration.ofSeconds(60)))
            .run();
    assertTrue(r.ok(), "chromium " + what + " " + url + ": " + r.describe());
    return r.out();
  }
}
