package dev.slipway.e2e.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.analysis.prometheus.PrometheusServer;
import dev.slipway.api.v1alpha1.PauseReason;
import dev.slipway.api.v1alpha1.RevisionState;
import dev.slipway.api.v1alpha1.RolloutStatus;
import dev.slipway.e2e.tools.Await;
import dev.slipway.e2e.tools.Kubectl;
import dev.slipway.e2e.traffic.EdgeLoad;
import dev.slipway.e2e.traffic.GrpcLoad;
import dev.slipway.e2e.traffic.PodScrapes;
import dev.slipway.e2e.workload.SampleAppManifests;
import dev.slipway.samples.app.SampleGrpc;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Issue 29's gRPC at the real gateway: the sample app's gRPC port behind Traefik's GRPCRoute, its
 * weights written by Slipway. A good release walks 20/50/80 with a pause at each while gRPC calls
 * through Traefik are counted by the version that answered; its method segment sends every call of
 * one method (Preview) to the canary whatever the weight. A release failing one call in five with
 * UNAVAILABLE (HTTP 200 on the wire, so the gateway's status codes cannot see it) is rolled back by
 * its gRPC success rate, read from the pods' own grpc_server_handled_total in the real Prometheus.
 * Run by TraefikE2ETest, which brings the gateway, Prometheus and Slipway.
 */
final class GrpcAtTheEdge {
  static final String APP = "greeter";
  static final String HOST = "greeter.slipway.test";
  private final KubernetesClient admin;
  private final Kubectl kubectl;
  private final String ns;
  private final String gateway;
  private final String analysisTemplate;
  private final PrometheusServer prometheus;
  private final String podPrefix;
  private final String otherJobs;
  private final ScenarioRollout rollout;

  /**
   * Prometheus keeps {@code otherJobs} (its scrape_configs items) and scrapes this app's pods
   * beside them while the scenario runs.
   */
  GrpcAtTheEdge(
      KubernetesClient admin,
      Kubectl kubectl,
      String ns,
      String gateway,
      String analysisTemplate,
      PrometheusServer prometheus,
      String podPrefix,
      String otherJobs) {
    this.admin = admin;
    this.kubectl = kubectl;
    this.ns = ns;
    this.gateway = gateway;
    this.analysisTemplate = analysisTemplate;
    this.prometheus = prometheus;
    this.podPrefix = podPrefix;
    this.otherJobs = otherJobs;
    this.rollout = new ScenarioRollout(admin, kubectl, ns, APP);
  }

  void run(int webPort) throws Exception {
    try (PodScrapes scrapes =
            new PodScrapes(admin, ns, "app", APP, podPrefix, 8080, prometheus, otherJobs);
        GrpcLoad hello = new GrpcLoad("127.0.0.1", webPort, HOST, 100);
        GrpcLoad preview = new GrpcLoad("127.0.0.1", webPort, HOST, SampleGrpc.PREVIEW, 10)) {
      rollout.apply(analysisTemplate + "---\n" + servicesAndRoute() + manifest("v1", "0"));
      await(
          "v1 Stable and answering gRPC through Traefik",
          Duration.ofMinutes(4),
          () -> rollout.state() == RevisionState.Stable && hello.counts().ok("v1") > 100);

      // A good release: its shares at each weight, its method segment, no failed call.
      EdgeLoad.Counts start = hello.counts();
      EdgeLoad.Counts previewStart = preview.counts();
      rollout.apply(manifest("v2", "0"));
      for (int weight : new int[] {20, 50, 80}) {
        await(
            "v2 paused at weight " + weight,
            Duration.ofMinutes(3),
            () -> {
              if (rollout.state() == RevisionState.RolledBack)
                throw new AssertionError(
                    "the good release was rolled back: " + rollout.status().message());
              // Paused by an inconclusive analysis is not the step's pause: a Resume would only
              // reach that pause, and the walk would wait for a weight that never comes (the
              // first try of the sixth session: no canary request in the window at load 7).
              RolloutStatus now = rollout.status();
              if (now.pauseConditions() != null
                  && now.pauseConditions().stream()
                      .anyMatch(p -> p.reason() == PauseReason.AnalysisInconclusive))
                throw new AssertionError("the analysis was inconclusive: " + now.message());
              return rollout.state() == RevisionState.Paused
                  && Integer.valueOf(weight).equals(rollout.status().verifiedWeight());
            });
        // Traefik serves a route a moment after it reports it Accepted.
        Await.sleep(2000);
        // A second window of 500 calls when the first is off. The likely cause of a single off
        // window
        // (one came out 28.5% at weight 20, at load 11, in ci30; the HTTP scenario's shares were
        // exact): Traefik builds its services anew from each configuration it loads, and the
        // StatefulSet scenario beside this one keeps changing it, so every weighted round robin
        // starts over. A wrong weight is off in both windows.
        double share = Double.NaN;
        EdgeLoad.Counts b = null;
        for (int window = 1; window <= 2; window++) {
          EdgeLoad.Counts from = hello.counts();
          EdgeLoad.Counts previewFrom = preview.counts();
          awaitQuietly(
              "500 calls at weight " + weight,
              Duration.ofMinutes(1),
              () -> hello.counts().minus(from).responses() >= 500);
          EdgeLoad.Counts w = hello.counts().minus(from);
          b = preview.counts().minus(previewFrom);
          share = 100.0 * w.served("v2") / w.responses();
          System.out.printf(
              "gRPC share at weight %d (window %d): canary v2 %.2f%% of %d calls (%s); method Preview: %s%n",
              weight, window, share, w.responses(), w, b);
          if (Math.abs(share - weight) <= 3) break;
        }
        assertTrue(Math.abs(share - weight) <= 3, "canary share " + share + " at weight " + weight);
        assertTrue(b.ok("v2") > 0 && b.responses() == b.ok("v2"), "Preview reaches v2 only: " + b);
        rollout.request("Resume");
      }
      await(
          "v2 Stable",
          Duration.ofMinutes(3),
          () ->
              rollout.state() == RevisionState.Stable && rollout.status().canaryRevision() == null);
      Await.sleep(2000);
      EdgeLoad.Counts good = hello.counts().minus(start);
      EdgeLoad.Counts goodPreview = preview.counts().minus(previewStart);
      System.out.printf(
          "gRPC promotion v1 -> v2 through Traefik: Hello %s; Preview %s%n", good, goodPreview);
      assertEquals(
          0, good.fiveXx() + goodPreview.fiveXx(), "no failed call: " + good + goodPreview);
      assertEquals(
          0, good.transportErrors() + goodPreview.transportErrors(), good + " " + goodPreview);

      // A bad release: one call in five UNAVAILABLE, rolled back by its gRPC success rate.
      EdgeLoad.Counts before = hello.counts();
      rollout.apply(manifest("v3", "0.2"));
      await(
          "v3 rolled back",
          Duration.ofMinutes(4),
          () -> rollout.state() == RevisionState.RolledBack);
      RolloutStatus s = rollout.status();
      await(
          "v3 scaled down",
          Duration.ofMinutes(2),
          () -> admin.pods().inNamespace(ns).withLabel("app", APP).list().getItems().size() == 2);
      Await.sleep(2000);
      EdgeLoad.Counts bad = hello.counts().minus(before);
      System.out.printf(
          "gRPC v3 (20%% UNAVAILABLE) rolled back: %s; through Traefik %s%n", s.message(), bad);
      assertTrue(s.message().contains("grpc-success-rate"), s.message());
      assertTrue(bad.fiveXxByVersion().getOrDefault("v3", 0L) > 0, bad.toString());
      assertEquals(
          bad.fiveXx(), bad.served("v3") - bad.ok("v3"), "the only failed calls are v3's: " + bad);
      assertEquals(0, bad.transportErrors(), bad.toString());
    } finally {
      kubectl.run(null, "delete", "rollout.slipway.dev", APP, "-n", ns, "--wait=false");
      prometheus.rewriteScrapeConfigs(otherJobs);
    }
  }

  private String servicesAndRoute() {
    return SampleAppManifests.grpcServices(APP)
        + """
        apiVersion: gateway.networking.k8s.io/v1
        kind: GRPCRoute
        metadata: {name: %1$s}
        spec:
          parentRefs: [{name: %2$s}]
          hostnames: [%3$s]
          rules:
          - name: main
            matches: [{method: {service: %4$s}}]
            backendRefs:
            - {name: %1$s-stable, port: 9090, weight: 100}
            - {name: %1$s-canary, port: 9090, weight: 0}
        ---
        """
            .formatted(APP, gateway, HOST, SampleGrpc.SERVICE);
  }

  /**
   * The Rollout at this version and error rate: weights 20/50/80 with a pause at each, analysis
   * after the first, and the method Preview on the canary from the start.
   */
  private String manifest(String version, String errorRate) {
    return """
        apiVersion: slipway.dev/v1alpha1
        kind: Rollout
        metadata: {name: %1$s}
        spec:
          replicas: 2
          selector:
            matchLabels: {app: %1$s}
        %2$s
          strategy:
            canary:
              stableService: %1$s-stable
              canaryService: %1$s-canary
              scaleDownDelay: 5s
              trafficRouting:
                gatewayAPI:
                  grpcRoutes: [{name: %1$s, rules: [main]}]
              steps:
              - setHeaderRoute:
                  match: [{grpcMethod: {service: %3$s, method: Preview}}]
              - setWeight: 20
              - analysis: {templates: [{templateName: grpc-health}]}
              - pause: {}
              - setWeight: 50
              - pause: {}
              - setWeight: 80
              - pause: {}
        """
        .formatted(
            APP,
            SampleAppManifests.podTemplate(APP, version, errorRate, "0").indent(2).stripTrailing(),
            SampleGrpc.SERVICE);
  }

  private void await(String what, Duration timeout, Supplier<Boolean> probe) {
    awaitQuietly(what, timeout, probe);
    // Each phase's time, so that a scenario slower than its bound shows where (the stop after the
    // fifth session: this scenario still ran 10 minutes after the StatefulSet's beside it ended).
    System.out.printf(
        "gRPC scenario: %s after %d s%n", what, (System.nanoTime() - started) / 1_000_000_000L);
  }

  private final long started = System.nanoTime();

  private void awaitQuietly(String what, Duration timeout, Supplier<Boolean> probe) {
    Await.until(what, timeout)
        .ignoringExceptions() // the object may be between states
        .explaining(
            () ->
                "status "
                    + rollout.status()
                    + "\n"
                    + kubectl.run(null, "get", "pods,grpcroutes", "-n", ns, "-o", "wide").out())
        .value(probe);
  }
}
