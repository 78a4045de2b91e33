package dev.slipway.e2e.gateway;

import dev.slipway.e2e.cluster.LocalControlPlane;
import dev.slipway.e2e.cluster.Ports;
import dev.slipway.e2e.tools.Await;
import dev.slipway.e2e.tools.Daemons;
import dev.slipway.e2e.tools.Kubectl;
import dev.slipway.e2e.tools.Sh;
import dev.slipway.testing.TestTime;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real Gateway API implementation for the gateway scenarios: Traefik (built by
 * e2e/gateway/build.sh from its Go module) as a host process, the controller of GatewayClass
 * "traefik" on the local cluster. It writes Gateway and HTTPRoute status itself, serves its web
 * entrypoint on 127.0.0.1 and sends requests to the pods' addresses on the harness's bridge, read
 * from the EndpointSlices. Its Prometheus metrics and ping are on a second loopback port.
 */
public final class Traefik implements AutoCloseable {
  public static final String VERSION = System.getenv().getOrDefault("TRAEFIK_VERSION", "3.6.12");
  public static final String CLASS = "traefik";
  public static final String CONTROLLER = "traefik.io/gateway-controller";
  private final Process process;
  private final int webPort;
  private final int metricsPort;
  private final Path log;
  private final Kubectl kubectl;

  /** Traefik's access log (JSON lines): per request, the backend it chose and what came back. */
  public Path accessLog() {
    return log.resolveSibling("traefik-access.log");
  }

  private Traefik(Process process, int webPort, int metricsPort, Path log, Kubectl kubectl) {
    this.process = process;
    this.webPort = webPort;
    this.metricsPort = metricsPort;
    this.log = log;
    this.kubectl = kubectl;
  }

  public static Path binary() {
    String cache =
        System.getenv()
            .getOrDefault("SLIPWAY_CACHE", System.getProperty("user.home") + "/.cache/slipway");
    return Path.of(cache, "gateway", "traefik-" + VERSION, "traefik");
  }

  /** Why Traefik cannot run here, or null when it can. */
  public static String unavailableReason() {
    return Files.isExecutable(binary())
        ? null
        : "no Traefik at " + binary() + ": run bash e2e/gateway/build.sh";
  }

  /**
   * Installs every Gateway API CRD Traefik watches (it refuses to start its provider without
   * GRPCRoute and BackendTLSPolicy), the GatewayClass, and starts Traefik; returns once it answers
   * its ping.
   */
  public static Traefik start(LocalControlPlane cp) {
    String why = unavailableReason();
    if (why != null) {
      throw new IllegalStateException(why);
    }
    Kubectl kubectl = new Kubectl(cp.adminKubeconfig());
    Path crds = LocalControlPlane.binDir().resolve("gateway-api");
    check(kubectl.run(null, "apply", "--server-side", "-f", crds.toString()));
    check(
        kubectl.run(null, "wait", "--for=condition=Established", "crd", "--all", "--timeout=60s"));
    check(
        kubectl.run(
            """
        apiVersion: gateway.networking.k8s.io/v1
        kind: GatewayClass
        metadata: {name: %s}
        spec: {controllerName: %s}
        """
                .formatted(CLASS, CONTROLLER),
            "apply",
            "-f",
            "-"));
    int web = Ports.free();
    int metrics = Ports.free();
    Path log = cp.dir().resolve("traefik.log");
    List<String> cmd =
        new ArrayList<>(
            List.of(
                binary().toString(),
                // Traefik otherwise asks the internet for new versions and sends usage statistics.
                "--global.checkNewVersion=false",
                "--global.sendAnonymousUsage=false",
                "--entryPoints.web.address=127.0.0.1:" + web,
                "--entryPoints.metrics.address=127.0.0.1:" + metrics,
                "--ping=true",
                "--ping.entryPoint=metrics",
                "--metrics.prometheus=true",
                "--metrics.prometheus.entryPoint=metrics",
                "--metrics.prometheus.addServicesLabels=true",
                "--metrics.prometheus.buckets=0.005,0.01,0.025,0.05,0.1,0.25,0.5,1,2.5,5",
                "--providers.kubernetesGateway=true",
                "--accessLog=true",
                "--accessLog.format=json",
                "--accessLog.filePath=" + cp.dir().resolve("traefik-access.log"),
                "--log.level=INFO",
                "--log.format=json"));
    Process p = Daemons.start(cmd, log, Map.of("KUBECONFIG", cp.adminKubeconfig().toString()));
    Traefik t = new Traefik(p, web, metrics, log, kubectl);
    t.awaitPing(Duration.ofSeconds(60));
    return t;
  }

  /**
   * A Gateway of class traefik in the namespace, listening on the web entrypoint, for routes of
   * that namespace.
   */
  public void gateway(String namespace, String name) {
    check(
        kubectl.run(
            """
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: %s, namespace: %s}
        spec:
          gatewayClassName: %s
          listeners:
          - {name: web, protocol: HTTP, port: %d, allowedRoutes: {namespaces: {from: Same}}}
        """
                .formatted(name, namespace, CLASS, webPort),
            "apply",
            "-f",
            "-"));
    check(
        kubectl.run(
            null,
            "wait",
            "--for=condition=Programmed",
            "gateway/" + name,
            "-n",
            namespace,
            "--timeout=60s"));
  }

  private void awaitPing(Duration timeout) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    Instant deadline = Instant.now().plus(TestTime.of(timeout));
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException("traefik exited " + process.exitValue() + ": " + tail());
      }
      try {
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(URI.create(metricsUrl().replace("/metrics", "/ping")))
                    .timeout(Duration.ofSeconds(1))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      Await.sleep(100);
    }
    throw new IllegalStateException(
        "traefik did not answer its ping within " + timeout.toSeconds() + " s: " + tail());
  }

  /**
   * Freezes the process (SIGSTOP): it neither routes nor writes status until {@link #release()}.
   */
  public void hold() {
    signal("STOP");
  }

  public void release() {
    signal("CONT");
  }

  private void signal(String sig) {
    Sh.signal(process, sig);
  }

  public int webPort() {
    return webPort;
  }

  /** The web entrypoint: where users' requests go. */
  public String webUrl() {
    return "http://127.0.0.1:" + webPort + "/";
  }

  public String metricsTarget() {
    return "127.0.0.1:" + metricsPort;
  }

  public String metricsUrl() {
    return "http://" + metricsTarget() + "/metrics";
  }

  public String version() {
    return VERSION;
  }

  /** The last lines of Traefik's own log, for failure messages. */
  public String tail() {
    return Daemons.tail(log, 20);
  }

  private static void check(Kubectl.Result r) {
    if (r.exit() != 0) {
      throw new IllegalStateException("kubectl exited " + r.exit() + ": " + r.out());
    }
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      release();
      process.destroy();
      try {
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
