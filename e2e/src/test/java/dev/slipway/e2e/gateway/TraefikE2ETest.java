package dev.slipway.e2e.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.analysis.prometheus.PrometheusServer;
import dev.slipway.api.v1alpha1.RevisionState;
import dev.slipway.api.v1alpha1.Rollout;
import dev.slipway.api.v1alpha1.RolloutStatus;
import dev.slipway.e2e.Lanes;
import dev.slipway.e2e.Prerequisites;
import dev.slipway.e2e.cluster.ClusterLease;
import dev.slipway.e2e.cluster.Crds;
import dev.slipway.e2e.cluster.LocalControlPlane;
import dev.slipway.e2e.cluster.Ports;
import dev.slipway.e2e.cluster.SharedClusters;
import dev.slipway.e2e.tools.Await;
import dev.slipway.e2e.tools.Helm;
import dev.slipway.e2e.tools.Kubectl;
import dev.slipway.e2e.traffic.EdgeLoad;
import dev.slipway.e2e.workload.HelmInstall;
import dev.slipway.e2e.workload.SampleAppManifests;
import dev.slipway.testing.Never;
import dev.slipway.testing.TestTime;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPBackendRef;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * The headline scenarios through a real gateway: Traefik (a host process on 127.0.0.1, the
 * GatewayClass's controller) carries users' requests to the sample-app pods on the real node, by
 * the weights Slipway writes to the HTTPRoute; Slipway (installed by its chart) judges canaries
 * from Traefik's own metrics in a real Prometheus (profile Traefik). Everything is measured at the
 * gateway: which version answered each request, 5xx and connection errors, and when the canary
 * answered last.
 */
@ResourceLock(Lanes.REAL_NODE)
@Order(1)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TraefikE2ETest {
  static final String NS = "shop";
  static final int RPS = 100;
  static final int ABORTS = Integer.getInteger("slipway.e2e.traefik.aborts", 4);
  static ClusterLease lease;
  static LocalControlPlane cp;
  static KubernetesClient admin;
  static Kubectl kubectl;
  static Traefik traefik;
  static PrometheusServer prometheus;
  static EdgeLoad load;

  @BeforeAll
  static void up() throws Exception {
    Prerequisites.realNode();
    Prerequisites.need(Traefik.unavailableReason());
    lease = SharedClusters.realNode(Lanes.REAL_NODE);
    cp = lease.plane();
    admin = cp.admin();
    kubectl = new Kubectl(cp.adminKubeconfig());
    HelmInstall.importImages(cp);
    traefik = Traefik.start(cp);
    System.out.println(
        "traefik v"
            + traefik.version()
            + ": web "
            + traefik.webUrl()
            + ", metrics "
            + traefik.metricsUrl());
    // One controller replica: the standby's failover is InstallE2ETest's; here it would only take
    // CPU from the pods. For the same reason its JIT is the client compiler only (the chart's
    // defaults are InstallE2ETest's).
    HelmInstall.install(
        cp, HelmInstall.values(cp, "replicas: 1\n" + HelmInstall.clientCompilerOnly()));
    // The controller runs in a pod: it reaches Prometheus on the bridge's host side.
    prometheus =
        PrometheusServer.onAddress(
            cp.node().orElseThrow().apiHostForPods(), Ports.free(), traefikJob());
    kubectl.run(null, "create", "namespace", NS);
    traefik.gateway(NS, "edge");
    // Users are served by a plain Deployment first; the Rollout adopts it under load.
    apply(legacy());
    load = new EdgeLoad(traefik.webUrl(), RPS);
    await(
        "the Deployment answering through Traefik",
        Duration.ofMinutes(4),
        () -> load.counts().ok(LEGACY) > 100);
    EdgeLoad.Counts before = load.counts();
    Instant start = Instant.now();
    apply(
        app("v1", "0", "0")
            .replace(
                "  replicas: 2\n",
                "  replicas: 2\n  workloadRef: {kind: Deployment, name: shop-legacy}\n"));
    await(
        "v1 Stable, the Deployment at 0 and its pods gone",
        Duration.ofMinutes(4),
        () ->
            state() == RevisionState.Stable
                && status().canaryRevision() == null
                && Integer.valueOf(0).equals(legacyReplicas())
                && pods().stream().noneMatch(p -> LEGACY.equals(version(p))));
    settle();
    adoption = load.counts().minus(before);
    adoptionTook = Duration.between(start, Instant.now());
    System.out.printf(
        "through Traefik: Deployment shop-legacy adopted by Rollout shop in %d s: %s%n",
        adoptionTook.toSeconds(), adoption);
  }

  /** Prometheus' scrape job for Traefik's own metrics. */
  static String traefikJob() {
    return "- job_name: traefik\n  static_configs:\n  - targets: ['"
        + traefik.metricsTarget()
        + "']\n";
  }

  static final String LEGACY = "v0-deployment";
  static EdgeLoad.Counts adoption;
  static Duration adoptionTook;

  static Integer legacyReplicas() {
    var d = admin.apps().deployments().inNamespace(NS).withName("shop-legacy").get();
    return d == null ? null : d.getSpec().getReplicas();
  }

  /** The Services, the route, and a Deployment serving them, as a team has it before Slipway. */
  static String legacy() {
    return SampleAppManifests.servicesAndRoute("edge")
        + """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: shop-legacy
          # Its owner's consent: only the Rollout named here may adopt it (issue 27).
          annotations: {slipway.dev/adopt-by: shop}
        spec:
          replicas: 2
          selector:
            matchLabels: {app: shop}
        %s
        """
            .formatted(SampleAppManifests.podTemplate(LEGACY, "0", "0").indent(2).stripTrailing());
  }

  @Test
  @Order(0)
  void aDeploymentIsAdoptedUnderLoadWithoutAFailedRequest() {
    System.out.printf(
        "adoption at the gateway: %d responses in %d s, %d from the Deployment, %d from the Rollout, %d 5xx, %d connection errors%n",
        adoption.responses(),
        adoptionTook.toSeconds(),
        adoption.served(LEGACY),
        adoption.served("v1"),
        adoption.fiveXx(),
        adoption.transportErrors());
    assertEquals(0, adoption.fiveXx(), adoption.toString());
    assertEquals(0, adoption.transportErrors(), adoption.toString());
    assertTrue(adoption.served(LEGACY) > 0 && adoption.served("v1") > 0, adoption.toString());
    var d = admin.apps().deployments().inNamespace(NS).withName("shop-legacy").get();
    assertEquals(0, d.getSpec().getReplicas(), "the Deployment is kept, at 0");
    assertEquals(LEGACY, version(d.getSpec().getTemplate()), "and otherwise untouched");
    EdgeLoad.Counts after = load.counts();
    await(
        "only the Rollout answers",
        Duration.ofSeconds(30),
        () -> load.counts().minus(after).ok("v1") > 200);
    assertEquals(0, load.counts().minus(after).served(LEGACY));
  }

  @AfterAll
  static void down() throws Exception {
    if (load != null) load.close();
    if (traefik != null) traefik.close();
    if (prometheus != null) prometheus.close();
    if (lease != null) {
      System.out.println(
          "controller log: "
              + HelmInstall.saveLogs(
                  cp,
                  Path.of("target", "e2e-logs", "TraefikE2ETest-controller.log").toAbsolutePath()));
      // The next real-node class installs Slipway itself: the release goes, then the namespaces.
      new Helm(cp.adminKubeconfig())
          .run("uninstall", "slipway", "-n", HelmInstall.NAMESPACE, "--wait", "--timeout", "2m");
      lease.close();
    }
  }

  /**
   * Three weights, each held by a pause while 500 users' requests are counted by version: the
   * gateway gives the canary its share, and the promotion loses no request. (Good canaries judged
   * at the edge: the five A/A canaries below, and the blue/green preview.)
   */
  @Test
  @Order(1)
  void aGoodCanaryGetsItsShareAtEachStepAndIsPromotedWithoutAnError() {
    EdgeLoad.Counts start = load.counts();
    apply(
        app(
            "v2",
            "0",
            "0",
            """
        - setWeight: 20
        - pause: {}
        - setWeight: 50
        - pause: {}
        - setWeight: 80
        - pause: {}
        """,
            GRACE));
    for (int weight : new int[] {20, 50, 80}) {
      await(
          "v2 paused at weight " + weight,
          Duration.ofMinutes(3),
          () -> {
            if (state() == RevisionState.RolledBack)
              throw new AssertionError("the good canary was rolled back: " + status().message());
            return state() == RevisionState.Paused
                && Integer.valueOf(weight).equals(status().verifiedWeight());
          });
      // Traefik serves a route a moment after it reports it Accepted (0.4-0.6 s, longer on a busy
      // machine): counting from that report mixes in the previous weight's answers.
      settle();
      EdgeLoad.Counts from = load.counts();
      await(
          "500 responses at weight " + weight,
          Duration.ofMinutes(1),
          () -> load.counts().minus(from).responses() >= 500);
      EdgeLoad.Counts w = load.counts().minus(from);
      double share = 100.0 * w.served("v2") / w.responses();
      System.out.printf(
          "gateway share at weight %d: canary v2 %.2f%% of %d responses (%s)%n",
          weight, share, w.responses(), w);
      assertTrue(Math.abs(share - weight) <= 3, "canary share " + share + " at weight " + weight);
      request("Resume");
    }
    await(
        "v2 Stable, v1 gone",
        Duration.ofMinutes(3),
        () ->
            state() == RevisionState.Stable
                && status().canaryRevision() == null
                && pods().stream().noneMatch(p -> "v1".equals(version(p))));
    settle();
    EdgeLoad.Counts all = load.counts().minus(start);
    System.out.printf(
        "promotion v1 -> v2 through Traefik: %d responses, %d 5xx, %d connection errors (%s)%n",
        all.responses(), all.fiveXx(), all.transportErrors(), all);
    assertEquals(0, all.fiveXx(), all.toString());
    assertEquals(0, all.transportErrors(), all.toString());
    EdgeLoad.Counts after = load.counts();
    await(
        "only v2 answers", Duration.ofSeconds(30), () -> load.counts().minus(after).ok("v2") > 200);
    assertEquals(0, load.counts().minus(after).served("v1"), "v1 still answered after promotion");
  }

  /**
   * A canary 2.6 s slower than the stable, judged by the sequential latency test at the edge:
   * Traefik's histogram of the stable Service before the canary fixes the threshold (the bound at
   * its P99), and the canary's responses above it are counted against the stable's at every look.
   * The slow-down must exceed the declared 50% at any load: on a machine at load 14 the stable's
   * own P99 passed 1 s, where 400 ms more was under 50% and the step rightly passed. 2.6 s is above
   * the 2.5 s bucket bound the threshold becomes when the stable's P99 passes 1 s (ci35, at load
   * 16: 1.5 s slower was under it, 0 of 5,947 canary responses above it, and the step rightly
   * passed), yet under the load generator's 5 s limit; 20 requests/s of 2.6 s fit the sample app's
   * 64 threads.
   */
  @Test
  @Order(3)
  void aSlowCanaryIsRolledBackByTheSequentialLatencyTestAtTheEdge() {
    rolledBackByAnalysis(
        "v4-slow",
        "0",
        "2600",
        "edge-latency",
        """
        - setWeight: 20
        - analysis:
            metrics:
            - name: edge-latency
              interval: 1s
              sequential: {latency: {quantile: 0.99, minDetectableEffect: 0.5}, exposure: 5m, planningWindow: 1m}
            prometheus: {address: %s, profile: Traefik, timeout: 5s}
        - pause: {}
        """
            .formatted(prometheus.address()));
  }

  @Test
  @Order(4)
  void aManualAbortDrainsTheCanaryWithoutAnErrorWithinMilliseconds() {
    List<Long> toLastCanaryResponse = new ArrayList<>();
    List<Long> toRouteWritten = new ArrayList<>();
    EdgeLoad.Counts start = load.counts();
    Instant began = Instant.now();
    for (int i = 1; i <= ABORTS; i++) {
      String v = "v5-abort" + i;
      apply(app(v, "0", "0"));
      await(
          v + " at weight 20",
          Duration.ofMinutes(3),
          () -> Integer.valueOf(20).equals(status().verifiedWeight()));
      EdgeLoad.Counts from = load.counts();
      await(
          v + " answering",
          Duration.ofSeconds(30),
          () -> load.counts().minus(from).served(v) >= 50);
      AtomicReference<Instant> written = new AtomicReference<>();
      Instant abort;
      try (var watch =
          admin
              .resources(HTTPRoute.class)
              .inNamespace(NS)
              .withName("shop")
              .watch(
                  new Watcher<>() {
                    @Override
                    public void eventReceived(Action action, HTTPRoute r) {
                      if (canaryWeight(r) == 0) written.compareAndSet(null, Instant.now());
                    }

                    @Override
                    public void onClose(WatcherException e) {}
                  })) {
        // Sent from here, not by starting kubectl (whose own start takes some 200 ms): the figure
        // is Slipway's and Traefik's.
        abort = Instant.now();
        admin
            .resources(Rollout.class)
            .inNamespace(NS)
            .withName("shop")
            .subresource("status")
            .patch(
                new PatchContext.Builder()
                    .withPatchType(PatchType.JSON_MERGE)
                    .withFieldManager("e2e")
                    .build(),
                "{\"status\":{\"request\":{\"action\":\"Abort\"}}}");
        // The next abort's revision replaces this one while its pods wait out their scale-down
        // delay
        // (as a real revision would); the last one is watched all the way down.
        boolean last = i == ABORTS;
        await(
            v + " rolled back" + (last ? " and scaled down" : ""),
            Duration.ofMinutes(2),
            () ->
                state() == RevisionState.RolledBack
                    && Integer.valueOf(0).equals(status().verifiedWeight())
                    && (!last || pods().stream().noneMatch(p -> v.equals(version(p)))));
      }
      settle();
      long ms = Duration.between(abort, load.lastServed(v)).toMillis();
      toLastCanaryResponse.add(ms);
      toRouteWritten.add(
          written.get() == null ? -1 : Duration.between(abort, written.get()).toMillis());
      System.out.printf(
          "abort %d: Slipway wrote weight 0 to the route %d ms after the request; the canary %s answered last %d ms after it%n",
          i, toRouteWritten.get(i - 1), v, ms);
    }
    EdgeLoad.Counts all = load.counts().minus(start);
    List<Long> sorted = toLastCanaryResponse.stream().sorted().toList();
    List<Long> route = toRouteWritten.stream().sorted().toList();
    System.out.printf(
        "abort -> last response from the canary, at the gateway (n=%d): median %d ms, p90 %d ms, max %d ms "
            + "(abort -> route written: median %d ms, p90 %d ms; the rest is Traefik applying it); %d responses, %d 5xx, %d connection errors%n",
        sorted.size(),
        percentile(sorted, 50),
        percentile(sorted, 90),
        sorted.get(sorted.size() - 1),
        percentile(route, 50),
        percentile(route, 90),
        all.responses(),
        all.fiveXx(),
        all.transportErrors());
    gatewayErrors(began).forEach(l -> System.out.println("  traefik access log: " + l));
    assertEquals(0, all.fiveXx(), all.toString());
    assertEquals(0, all.transportErrors(), all.toString());
  }

  /** Traefik's own account of the 5xx it answered since a moment: when, to which backend, why. */
  static List<String> gatewayErrors(Instant since) {
    try (var lines = Files.lines(traefik.accessLog())) {
      return lines
          .filter(l -> l.contains("\"DownstreamStatus\":50"))
          .map(
              l -> {
                var m = Serialization.unmarshal(l, Map.class);
                return Instant.parse((String) m.get("StartUTC")).isBefore(since)
                    ? null
                    : m.get("StartUTC")
                        + " "
                        + m.get("DownstreamStatus")
                        + " "
                        + m.get("ServiceName")
                        + " "
                        + m.get("ServiceURL")
                        + " after "
                        + m.get("Duration")
                        + " ns";
              })
          .filter(Objects::nonNull)
          .limit(40)
          .toList();
    } catch (IOException e) {
      return List.of("no access log: " + e.getMessage());
    }
  }

  @Test
  @Order(5)
  void nothingAdvancesWhileTraefikHasNotAcceptedTheRoute() throws Exception {
    load.pause();
    traefik.hold();
    Instant held = Instant.now();
    try {
      apply(app("v6-held", "0", "0"));
      await(
          "the route written with canary weight 20",
          Duration.ofMinutes(3),
          () -> routeCanaryWeight() == 20);
      long gen = route().getMetadata().getGeneration();
      Instant written = Instant.now();
      while (Duration.between(written, Instant.now()).compareTo(Duration.ofSeconds(10)) < 0) {
        RolloutStatus s = status();
        assertNotEquals(
            Integer.valueOf(20), s.verifiedWeight(), "weight 20 trusted while Traefik is frozen");
        assertEquals(
            Integer.valueOf(0),
            s.currentStepIndex(),
            "advanced past step 1 while Traefik is frozen");
        Await.sleep(250);
      }
      System.out.printf(
          "traefik frozen %d s: route generation %d carries weight 20, not accepted; the Rollout stays at step 1: %s%n",
          Duration.between(held, Instant.now()).toSeconds(), gen, status().message());
    } finally {
      traefik.release();
      load.resume();
    }
    Instant released = Instant.now();
    await(
        "weight 20 verified once Traefik accepts",
        Duration.ofMinutes(1),
        () -> Integer.valueOf(20).equals(status().verifiedWeight()));
    System.out.printf(
        "traefik released: weight 20 verified %d ms later, step %d%n",
        Duration.between(released, Instant.now()).toMillis(), status().currentStepIndex());
    request("Abort");
    await("v6-held rolled back", Duration.ofMinutes(2), () -> state() == RevisionState.RolledBack);
  }

  /**
   * A header-and-cookie segment served by the canary at weight 0, at the gateway; a mirror step
   * that Traefik cannot carry (its GatewayClass does not list the feature) held instead of written;
   * and, after the abort, the route's rules byte for byte as they were, including a rule Slipway
   * does not own.
   */
  @Test
  @Order(6)
  void aHeaderSegmentReachesTheCanaryOnlyForMatchingRequestsAndLeavesTheRouteAsItWas() {
    String current =
        version(
            admin
                .resources(Rollout.class)
                .inNamespace(NS)
                .withName("shop")
                .get()
                .getSpec()
                .template());
    apply(segmented(current));
    await(
        "the admin rule on the route",
        Duration.ofMinutes(1),
        () -> route().getSpec().getRules().size() == 2);
    Await.sleep(2000);
    String before = Serialization.asJson(route().getSpec().getRules());
    String stable = answer(Map.of(), "/");
    EdgeLoad.Counts start = load.counts();

    apply(segmented("v7-segment"));
    await(
        "the segment verified and the canary paused",
        Duration.ofMinutes(3),
        () ->
            state() == RevisionState.Paused
                && status().headerRoute() != null
                && Integer.valueOf(1).equals(status().currentStepIndex()));
    // Traefik reports Accepted a moment before its data plane serves the new rule.
    Instant verified = Instant.now();
    await(
        "a segment request answered by the canary",
        Duration.ofSeconds(30),
        () -> "v7-segment".equals(answer(Map.of("X-Canary", "yes", "Cookie", "beta=on"), "/")));
    System.out.printf(
        "first segment request served by the canary %d ms after the status showed the step done%n",
        Duration.between(verified, Instant.now()).toMillis());
    HTTPRoute r = route();
    System.out.println(
        "segment rule on the route: "
            + Serialization.asJson(
                r.getSpec().getRules().stream()
                    .filter(x -> x.getName().startsWith("slipway-shop-segment-"))
                    .findFirst()
                    .orElseThrow()));
    Map<String, Long> both =
        answers(Map.of("X-Canary", "yes", "Cookie", "a=b; beta=on; c=d"), "/", 100);
    Map<String, Long> headerOnly = answers(Map.of("X-Canary", "yes"), "/", 100);
    Map<String, Long> cookieOnly = answers(Map.of("Cookie", "beta=on"), "/", 100);
    Map<String, Long> wrongCookie =
        answers(Map.of("X-Canary", "yes", "Cookie", "xbeta=on"), "/", 100);
    Map<String, Long> admin = answers(Map.of("X-Canary", "yes", "Cookie", "beta=on"), "/admin", 50);
    System.out.printf(
        "segment X-Canary=yes and cookie beta=on (stable %s): both %s, header only %s, cookie only %s, "
            + "other cookie %s, /admin (rule not ours) %s%n",
        stable, both, headerOnly, cookieOnly, wrongCookie, admin);
    assertEquals(Map.of("v7-segment", 100L), both);
    assertEquals(Map.of(stable, 100L), headerOnly);
    assertEquals(Map.of(stable, 100L), cookieOnly);
    assertEquals(Map.of(stable, 100L), wrongCookie);
    assertEquals(Map.of(stable, 50L), admin);
    EdgeLoad.Counts plain = load.counts().minus(start);
    assertEquals(
        0, plain.served("v7-segment"), "requests outside the segment reached the canary: " + plain);

    request("Resume");
    await(
        "the mirror step held: Traefik does not list the feature",
        Duration.ofMinutes(1),
        () ->
            status().message() != null
                && status().message().contains("mirroring is not supported by this gateway"));
    Never.within(
        Duration.ofSeconds(3),
        "a mirror filter was written",
        () ->
            route().getSpec().getRules().stream()
                .anyMatch(
                    x ->
                        x.getFilters() != null
                            && x.getFilters().stream()
                                .anyMatch(f -> "RequestMirror".equals(f.getType()))));
    System.out.println("mirror step on Traefik v" + traefik.version() + ": " + status().message());

    request("Abort");
    // Rolled back, weight 0 verified: the rules are ours again (the scale-down is the abort
    // scenario's).
    await(
        "v7-segment rolled back",
        Duration.ofMinutes(2),
        () ->
            state() == RevisionState.RolledBack
                && Integer.valueOf(0).equals(status().verifiedWeight())
                && status().headerRoute() == null);
    await(
        "the route's rules as before the canary",
        Duration.ofSeconds(30),
        () -> before.equals(Serialization.asJson(route().getSpec().getRules())));
    settle();
    String after = Serialization.asJson(route().getSpec().getRules());
    assertEquals(before, after, "the route's rules after the abort differ from before the canary");
    EdgeLoad.Counts all = load.counts().minus(start);
    System.out.printf(
        "segment scenario at the gateway: %d responses, %d 5xx, %d connection errors; rules after the abort "
            + "equal those before, byte for byte (%d bytes)%n",
        all.responses(), all.fiveXx(), all.transportErrors(), after.length());
    assertEquals(0, all.fiveXx(), all.toString());
    assertEquals(0, all.transportErrors(), all.toString());
    assertTrue(
        answers(Map.of("X-Canary", "yes", "Cookie", "beta=on"), "/", 20)
            .equals(Map.of(stable, 20L)),
        "the segment still reaches a canary after the abort");
  }

  /**
   * Blue/green at the gateway: the new revision in full behind the preview Service, reached only by
   * requests with X-Preview (a rule Slipway does not own), analysed from Traefik's metrics of those
   * requests; users see none of it until the promote, then all of it, without an error.
   */
  @Test
  @Order(7)
  void blueGreenIsPreviewedAnalysedAndSwitchedThroughTheRouteWithoutAnError() throws Exception {
    String current =
        version(
            admin
                .resources(Rollout.class)
                .inNamespace(NS)
                .withName("shop")
                .get()
                .getSpec()
                .template());
    apply(blueGreen(current, "0"));
    settle();
    String before = answer(Map.of(), "/");
    EdgeLoad.Counts start = load.counts();
    try (EdgeLoad preview = new EdgeLoad(traefik.webUrl(), 20, Map.of("X-Preview", "1"))) {
      apply(blueGreen("v8-green", "0"));
      await(
          "v8-green previewed, analysed and waiting for a promote",
          Duration.ofMinutes(3),
          () ->
              state() == RevisionState.Paused
                  && Integer.valueOf(2).equals(status().currentStepIndex()));
      long previewPods = pods().stream().filter(p -> "v8-green".equals(version(p))).count();
      EdgeLoad.Counts users = load.counts().minus(start);
      System.out.printf(
          "blue/green preview: %d pods of v8-green (spec.replicas 2); users %s; preview requests %s; %s%n",
          previewPods, users, preview.counts(), status().message());
      assertEquals(2, previewPods, "the preview is fully provisioned");
      assertEquals(0, users.served("v8-green"), "users reached the preview before the promote");
      assertTrue(preview.counts().ok("v8-green") > 0, preview.counts().toString());
      Instant promote = Instant.now();
      request("Resume");
      await(
          "v8-green active and the old side gone",
          Duration.ofMinutes(3),
          () ->
              state() == RevisionState.Stable
                  && status().canaryRevision() == null
                  && pods().stream().noneMatch(p -> before.equals(version(p))));
      settle();
      EdgeLoad.Counts all = load.counts().minus(start);
      Instant lastOld = load.lastServed(before);
      System.out.printf(
          "blue/green switch %s -> v8-green through Traefik: users %d responses, %d 5xx, %d connection errors; "
              + "the old side last answered a user %d ms after the promote (%s)%n",
          before,
          all.responses(),
          all.fiveXx(),
          all.transportErrors(),
          lastOld == null ? -1 : Duration.between(promote, lastOld).toMillis(),
          all);
      assertEquals(0, all.fiveXx(), all.toString());
      assertEquals(0, all.transportErrors(), all.toString());
    }
    EdgeLoad.Counts after = load.counts();
    await(
        "only v8-green answers users",
        Duration.ofSeconds(30),
        () -> load.counts().minus(after).ok("v8-green") > 200);
    assertEquals(
        0, load.counts().minus(after).served(before), "the old side answered after the switch");
  }

  @Test
  @Order(8)
  void blueGreenIsRolledBackByItsPrePromotionAnalysisBeforeAnyUserSeesIt() throws Exception {
    String active =
        version(
            admin
                .resources(Rollout.class)
                .inNamespace(NS)
                .withName("shop")
                .get()
                .getSpec()
                .template());
    EdgeLoad.Counts start = load.counts();
    try (EdgeLoad preview = new EdgeLoad(traefik.webUrl(), 20, Map.of("X-Preview", "1"))) {
      apply(blueGreen("v9-blue-bad", "0.3"));
      await(
          "v9-blue-bad rolled back by the pre-promotion analysis",
          Duration.ofMinutes(4),
          () -> state() == RevisionState.RolledBack);
      await(
          "v9-blue-bad scaled down",
          Duration.ofMinutes(2),
          () -> pods().stream().noneMatch(p -> "v9-blue-bad".equals(version(p))));
      settle();
      EdgeLoad.Counts users = load.counts().minus(start);
      System.out.printf(
          "blue/green v9-blue-bad: %s; users %s (active %s); preview requests %s%n",
          status().message(), users, active, preview.counts());
      assertTrue(status().message().contains("success-rate"), status().message());
      assertEquals(0, users.served("v9-blue-bad"), "a user reached the failed preview");
      assertEquals(0, users.fiveXx(), users.toString());
      assertTrue(
          preview.counts().fiveXxByVersion().getOrDefault("v9-blue-bad", 0L) > 0,
          "the preview's errors were what the analysis saw");
    }
  }

  // ---- the sequential judge at the real gateway, at 100 requests/s, against a stable that fails
  // 0.1% ----

  /** Users' rate for the sequential scenarios: the class's own. */
  static final int JUDGE_RPS = RPS;

  /**
   * One step at weight 20 judged by the sequential errors test, looking every second (Prometheus
   * scrapes every second).
   */
  static String judged(double minDetectableEffect, String exposure) {
    return judged(20, minDetectableEffect, exposure);
  }

  static String judged(int weight, double minDetectableEffect, String exposure) {
    return """
        - setWeight: %d
        - analysis:
            metrics:
            - name: edge-errors
              interval: 1s
              sequential: {errors: {minDetectableEffect: %s}, exposure: %s, planningWindow: 1m}
            prometheus: {address: %s, profile: Traefik, timeout: 5s}
        """
        .formatted(weight, minDetectableEffect, exposure, prometheus.address());
  }

  /**
   * Traefik applies a route a moment after it reports it: 3 s keeps the old pods for that moment
   * (see scaleDownDelay).
   */
  static final String QUICK = "scaleDownDelay: 3s\n";

  /**
   * A/A: a new revision of the same image that fails as often as the stable (0.1%), five times at
   * the default alpha. Each step, at weight 50 (the most power for the users' traffic: both sides
   * equal), looks every second for 8 s and passes only with the power to see +8 points of 5xx; all
   * five are promoted. (At weight 20 a busy machine's 82 req/s left 8 s short of +5 points' power,
   * and at weight 50 a machine at load 9 gave the canary 32 req/s, 8 s short of it again: the judge
   * then rightly paused as Inconclusive. +8 points needs about 2.5 times fewer requests, so the
   * test asks what it is for, no false rollback, and not how fast the host is.) The first sets the
   * 0.1% stable up, without analysis.
   */
  @Test
  @Order(9)
  void sameImageCanariesArePromotedFiveTimesOutOfFive() {
    apply(app("v10-base", "0.001", "0", "", QUICK));
    await(
        "v10-base stable",
        Duration.ofMinutes(3),
        () -> state() == RevisionState.Stable && "v10-base".equals(stableVersion()));
    int promoted = 0;
    for (int i = 1; i <= 5; i++) {
      String v = "v11-aa" + i;
      Instant t0 = Instant.now();
      apply(app(v, "0.001", "0", judged(50, 0.08, "8s"), QUICK));
      await(
          v + " promoted or rolled back",
          Duration.ofMinutes(3),
          () ->
              state() == RevisionState.RolledBack
                  || (state() == RevisionState.Stable && v.equals(stableVersion())));
      if (i == 1) {
        // Planned before the step from the stable's traffic: what this step can see.
        await(
            v + "'s power plan",
            Duration.ofSeconds(60),
            () -> status().analysisPlan() != null && !status().analysisPlan().isEmpty());
        var plan = status().analysisPlan().get(0);
        System.out.printf(
            "power plan in status: %s (meets the declared effect: %s)%n",
            plan.message(), plan.meetsDeclared());
        assertTrue(
            plan.message().contains("errors: detects +")
                && Boolean.TRUE.equals(plan.meetsDeclared()),
            plan.toString());
      }
      String verdict =
          status().analysisRuns() == null || status().analysisRuns().isEmpty()
              ? ""
              : status().analysisRuns().get(0).message();
      System.out.printf(
          "A/A %d (%s, 0.1%% 5xx on both sides): %s after %d s; %s%n",
          i,
          v,
          state(),
          Duration.between(t0, Instant.now()).toSeconds(),
          state() == RevisionState.RolledBack ? status().message() : verdict);
      if (state() == RevisionState.Stable) promoted++;
      else apply(app("v10-base", "0.001", "0", "", QUICK));
    }
    System.out.printf("A/A canaries at the default alpha (0.05): %d of 5 promoted%n", promoted);
    assertEquals(5, promoted, "an A/A canary was rolled back");
  }

  /**
   * 0.1% to 0.6% 5xx: a success rate of 99.4%, which a `min: 0.99` threshold never catches. The
   * sequential test sees six times the stable's rate and rolls it back; the time it took is
   * printed. At weight 50, so that both sides' rates show within about a minute at 100 requests/s.
   */
  @Test
  @Order(10)
  void aSubtleRegressionIsRolledBackByTheSequentialJudge() {
    String v = "v12-subtle";
    EdgeLoad.Counts start = load.counts();
    apply(app(v, "0.006", "0", judged(50, 0.005, "10m"), QUICK));
    await(
        v + " at weight 50",
        Duration.ofMinutes(2),
        () -> Integer.valueOf(50).equals(status().verifiedWeight()) && v.equals(canaryVersion()));
    Instant weighted = Instant.now();
    await(
        v + " rolled back",
        Duration.ofMinutes(10),
        () -> state() == RevisionState.RolledBack || state() == RevisionState.Paused);
    EdgeLoad.Counts seen = load.counts().minus(start);
    double canarySuccess =
        1 - (double) seen.fiveXxByVersion().getOrDefault(v, 0L) / Math.max(1, seen.served(v));
    System.out.printf(
        "0.1%% -> 0.6%% 5xx at weight 50, %d requests/s: %s %d s after weight 50 was verified; the canary's success rate "
            + "at the gateway %.2f%% (%d of %d), which a min: 0.99 threshold passes; %s%n",
        JUDGE_RPS,
        state(),
        Duration.between(weighted, Instant.now()).toSeconds(),
        canarySuccess * 100,
        seen.served(v) - seen.fiveXxByVersion().getOrDefault(v, 0L),
        seen.served(v),
        status().message());
    assertEquals(RevisionState.RolledBack, state(), status().message());
    assertTrue(status().message().contains("sequential test"), status().message());
  }

  /**
   * A canary failing one request in five, five times: each rolled back, weight 0 verified, within
   * seconds of the first 5xx a user got from it (median of 5 printed, and at most 3 s asserted,
   * stretched with load like every bound).
   */
  @Test
  @Order(11)
  void aCanaryFailingOneRequestInFiveIsRolledBackWithinSecondsOfItsFirst5xx() {
    List<Long> took = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      String v = "v13-bad" + i;
      AtomicReference<Instant> back = new AtomicReference<>();
      try (var watch =
          admin
              .resources(Rollout.class)
              .inNamespace(NS)
              .withName("shop")
              .watch(
                  new Watcher<>() {
                    @Override
                    public void eventReceived(Action action, Rollout r) {
                      RolloutStatus st = r.getStatus();
                      // Of this revision, not the previous one's: the status must describe the
                      // spec's generation.
                      if (st != null
                          && st.state() == RevisionState.RolledBack
                          && Integer.valueOf(0).equals(st.verifiedWeight())
                          && v.equals(version(r.getSpec().template()))
                          && r.getMetadata().getGeneration().equals(st.observedGeneration())) {
                        back.compareAndSet(null, Instant.now());
                      }
                    }

                    @Override
                    public void onClose(WatcherException e) {}
                  })) {
        apply(app(v, "0.2", "0", judged(0.005, "10m"), QUICK));
        await(
            v + " rolled back, weight 0 verified", Duration.ofMinutes(3), () -> back.get() != null);
      }
      Instant first = load.firstFiveXx(v);
      long ms = first == null ? -1 : Duration.between(first, back.get()).toMillis();
      took.add(ms);
      System.out.printf(
          "20%% 5xx canary %d: rolled back, weight 0 verified, %d ms after its first 5xx; %s%n",
          i, ms, status().message());
    }
    List<Long> sorted = took.stream().sorted().toList();
    long median = percentile(sorted, 50);
    System.out.printf(
        "20%% 5xx at weight 20, %d requests/s, Prometheus scraping every 1 s: first 5xx -> weight 0 verified, median %d ms "
            + "(n=5: %s)%n",
        JUDGE_RPS, median, sorted);
    assertTrue(
        sorted.stream().allMatch(x -> x >= 0),
        "every canary answered a 5xx before it was rolled back: " + sorted);
    assertTrue(median <= TestTime.millis(3000), "median " + median + " ms, more than 3 s");
  }

  /**
   * Issue 29: a StatefulSet walked in place by its partition at the real gateway, judged from
   * Traefik's metrics, a bad revision rolled back on its ordinal only, its PVC's data kept ({@link
   * StatefulSetAtTheEdge}). Beside the shop Rollout, on a route of its own.
   */
  @Test
  @Order(13)
  void aStatefulSetWalksItsPartitionAndABadRevisionIsRolledBackOnItsOrdinalOnly() throws Exception {
    // The gRPC service (order 15) no longer walks beside it: each configuration the StatefulSet
    // scenario made Traefik load restarted the gRPC route's weighted round robin and, at loads of 7
    // to 14, cost the gRPC scenario a window at the wrong share (ci30, ci34), an analysis without
    // canary calls (ci34) and 18 calls that hung past their 30 s deadline during a promotion
    // (ci36);
    // alone it showed none of these. About 100 s more on the real node's lane.
    // The Job checks (order 14) run beside it: they do not use the gateway (no route, so no Traefik
    // reload of theirs disturbs the StatefulSet's route), and their 100 s or so hide in its 200.
    jobsBeside = CompletableFuture.runAsync(TraefikE2ETest::jobScenario);
    new StatefulSetAtTheEdge(lease, kubectl, NS, "edge", template()).run(traefik.webUrl());
  }

  /**
   * The Job checks, started beside the StatefulSet's scenario (order 13); null if it did not run.
   */
  static volatile CompletableFuture<Void> jobsBeside;

  static void jobScenario() {
    try {
      new JobChecksOnTheNode(lease, kubectl, "checks").run();
    } catch (Exception e) {
      throw new CompletionException(e);
    }
  }

  /**
   * Issue 30: Job checks with real Jobs on the real node ({@link JobChecksOnTheNode}), in a
   * namespace of their own, without the gateway. The gRPC scenario (order 15) waits for them: it is
   * the one most disturbed by anything beside it.
   */
  @Test
  @Order(14)
  void aJobCheckPassesAGoodCanaryFailsABadOneStopsAHungJobAndAnAbortDeletesItsJob()
      throws Throwable {
    if (jobsBeside == null) {
      jobScenario();
      return;
    }
    try {
      // Its own awaits bound each phase; this only keeps a hang from holding the suite.
      jobsBeside.get(20, TimeUnit.MINUTES);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      throw cause instanceof CompletionException && cause.getCause() != null
          ? cause.getCause()
          : cause;
    }
  }

  @Test
  @Order(15)
  void aGrpcServiceGetsItsSharesItsMethodSegmentAndIsRolledBackByItsGrpcSuccessRate()
      throws Exception {
    new GrpcAtTheEdge(
            admin,
            kubectl,
            NS,
            "edge",
            // A longer first delay than the HTTP scenarios': Traefik applied the GRPCRoute's
            // weight some 8 s after it reported it Accepted, and a canary without calls in the
            // window is rightly Inconclusive (ci34, at load 7: both measurements at 5 and 8 s
            // empty; the calls counted from 10 s on gave the canary 52%, then 20%).
            template("samples/analysis/grpc.yaml").replace("initialDelay: 5s", "initialDelay: 20s"),
            prometheus,
            cp.node().orElseThrow().podAddressPrefix(),
            traefikJob())
        .run(traefik.webPort());
  }

  /**
   * An auditor re-runs the judge: the last rolled-back canary's record, exported with the plugin,
   * recomputes to the same e-values and verdict (`evidence verify --decisions`); with one recorded
   * count changed, the decisions check names the look (and the chain check the entry).
   */
  @Test
  @Order(12)
  void theRecordedDecisionsRecomputeAndAChangedCountIsNamed() throws Exception {
    Path dir = Files.createTempDirectory(cp.dir(), "decisions");
    Path file = dir.resolve("record.jsonl");
    Kubectl.Result export =
        kubectl.plugin(
            "evidence", "export", "shop", "-n", NS, "--format", "jsonl", "--file", file.toString());
    assertEquals(0, export.exit(), export.out());
    Kubectl.Result key = kubectl.plugin("evidence", "public-key");
    assertEquals(0, key.exit(), key.out());
    Path pem = dir.resolve("public.pem");
    Files.writeString(pem, key.out());
    Kubectl.Result ok =
        kubectl.plugin(
            "evidence", "verify", file.toString(), "--public-key", pem.toString(), "--decisions");
    System.out.println(
        "kubectl slipway evidence verify --decisions ("
            + Files.readAllLines(file).size()
            + " entries):\n"
            + ok.out().strip());
    assertEquals(0, ok.exit(), ok.out());
    assertTrue(ok.out().contains("OK: decisions: 1 sequential verdict"), ok.out());
    List<String> lines = new ArrayList<>(Files.readAllLines(file));
    int changed = -1;
    for (int i = 0; i < lines.size() && changed < 0; i++) {
      Matcher m = Pattern.compile("\"canary\":\\[(\\d+),([1-9]\\d*)\\]").matcher(lines.get(i));
      if (lines.get(i).contains("\"kind\":\"Measurement\"") && m.find()) {
        lines.set(i, m.replaceFirst("\"canary\":[$1,0]"));
        changed = i;
      }
    }
    assertTrue(changed >= 0, "a look with canary 5xx in the record");
    Path bad = dir.resolve("changed.jsonl");
    Files.writeString(bad, String.join("\n", lines) + "\n");
    Kubectl.Result v =
        kubectl.plugin(
            "evidence", "verify", bad.toString(), "--public-key", pem.toString(), "--decisions");
    System.out.println(
        "the canary's 5xx count of entry " + changed + " set to 0:\n" + v.out().strip());
    assertEquals(1, v.exit(), v.out());
    assertTrue(
        v.out().contains("FAILED: decisions:")
            && v.out().contains("a count or the e-value was changed"),
        v.out());
  }

  static String stableVersion() {
    return versionOf(status().stableRevision());
  }

  static String canaryVersion() {
    return versionOf(status().canaryRevision());
  }

  /** The VERSION of the ReplicaSet with this pod-template hash. */
  static String versionOf(String hash) {
    if (hash == null) return null;
    var rs =
        admin
            .apps()
            .replicaSets()
            .inNamespace(NS)
            .withLabel("slipway.dev/pod-template-hash", hash)
            .list()
            .getItems();
    return rs.isEmpty() ? null : version(rs.get(0).getSpec().getTemplate());
  }

  /**
   * The app delivered blue/green through the route, and a rule (not Slipway's) that sends X-Preview
   * requests to the preview.
   */
  static String blueGreen(String version, String errorRate) {
    String yaml = app(version, errorRate, "0");
    yaml =
        yaml.replace(
            """
          rules:
          - name: main
        """,
            """
          rules:
          - name: preview
            matches: [{headers: [{name: X-Preview, value: "1"}]}]
            backendRefs: [{name: shop-canary, port: 80}]
          - name: main
        """);
    int strategy = yaml.indexOf("  strategy:\n");
    return yaml.substring(0, strategy)
        + """
          strategy:
            blueGreen:
              activeService: shop-stable
              previewService: shop-canary
              trafficRouting:
                gatewayAPI:
                  httpRoutes: [{name: shop, rules: [main]}]
              prePromotionAnalysis: {templates: [{templateName: edge-health}]}
              scaleDownDelay: 5s
        """;
  }

  /**
   * The app with a segment, a pause, a mirror, a pause; and a second route rule that Slipway does
   * not own.
   */
  static String segmented(String version) {
    String yaml = app(version, "0", "0");
    yaml =
        yaml.replace(
            """
          rules:
          - name: main
        """,
            """
          rules:
          - name: admin
            matches: [{path: {type: PathPrefix, value: /admin}}]
            filters:
            - type: RequestHeaderModifier
              requestHeaderModifier: {add: [{name: X-Admin, value: "1"}]}
            backendRefs: [{name: shop-stable, port: 80}]
          - name: main
        """);
    int steps = yaml.indexOf("      steps:\n");
    return yaml.substring(0, steps)
        + """
              steps:
              - setHeaderRoute:
                  match:
                  - {header: X-Canary, value: "yes"}
                  - {cookie: beta, value: "on"}
              - pause: {}
              - setMirrorRoute: {percent: 20}
              - pause: {}
        """;
  }

  /** One request through Traefik; the version that answered it. */
  static String answer(Map<String, String> headers, String path) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(traefik.webUrl() + path.substring(1)))
            .timeout(Duration.ofSeconds(5));
    headers.forEach(b::header);
    try {
      String body = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString()).body().strip();
      int from = body.indexOf(" from ");
      return from < 0 ? "gateway: " + body : body.substring(from + " from ".length());
    } catch (IOException e) {
      return e.getClass().getSimpleName();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static Map<String, Long> answers(Map<String, String> headers, String path, int n) {
    Map<String, Long> out = new TreeMap<>();
    for (int i = 0; i < n; i++) {
      out.merge(answer(headers, path), 1L, Long::sum);
    }
    return out;
  }

  static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private static void rolledBackByAnalysis(
      String version, String errorRate, String latencyMs, String metric, String steps) {
    EdgeLoad.Counts start = load.counts();
    apply(app(version, errorRate, latencyMs, steps, GRACE));
    await(
        version + " started",
        Duration.ofMinutes(2),
        () -> pods().stream().anyMatch(p -> version.equals(version(p))));
    await(
        version + " rolled back", Duration.ofMinutes(4), () -> state() == RevisionState.RolledBack);
    await(
        version + " scaled down",
        Duration.ofMinutes(2),
        () -> pods().stream().noneMatch(p -> version.equals(version(p))));
    RolloutStatus s = status();
    settle();
    EdgeLoad.Counts all = load.counts().minus(start);
    System.out.printf(
        "%s rolled back by analysis of Traefik's metrics: %s; at the gateway %d responses, %d from the canary, "
            + "%d 5xx (%s), %d connection errors%n",
        version,
        s.message(),
        all.responses(),
        all.served(version),
        all.fiveXx(),
        all.fiveXxByVersion(),
        all.transportErrors());
    assertTrue(s.message().contains(metric), s.message());
    assertEquals(
        0,
        all.fiveXx() - all.fiveXxByVersion().getOrDefault(version, 0L),
        "5xx from others than the canary: " + all);
    assertEquals(0, all.transportErrors(), all.toString());
  }

  /** Lets the last requests of a change come back before counting. */
  private static void settle() {
    Await.sleep(2000);
  }

  static long percentile(List<Long> sorted, int p) {
    int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
  }

  static final String THREE_STEPS =
      """
      - setWeight: 20
      - analysis: {templates: [{templateName: edge-health}]}
      - pause: {}
      - setWeight: 50
      - analysis: {templates: [{templateName: edge-health}]}
      - pause: {}
      - setWeight: 80
      - analysis: {templates: [{templateName: edge-health}]}
      - pause: {}
      """;

  static String app(String version, String errorRate, String latencyMs) {
    return app(version, errorRate, latencyMs, THREE_STEPS, GRACE);
  }

  /**
   * Traefik serves a route some 0.4–0.6 s after it reports it Accepted (measured above: the first
   * segment request, the old side's last answer after a promote); 5 s keeps the pods that just lost
   * their traffic for that moment with a wide margin, where the default is 10 s.
   */
  static final String GRACE = "scaleDownDelay: 5s\n";

  /**
   * The app with these steps (YAML list items) and extra canary-strategy fields (e.g.
   * scaleDownDelay).
   */
  static String app(
      String version, String errorRate, String latencyMs, String steps, String strategyExtra) {
    return SampleAppManifests.servicesAndRoute("edge")
        + """
        %s
        ---
        apiVersion: slipway.dev/v1alpha1
        kind: Rollout
        metadata: {name: shop}
        spec:
          replicas: 2
          selector:
            matchLabels: {app: shop}
        %s
          strategy:
            canary:
              stableService: shop-stable
              canaryService: shop-canary
              trafficRouting:
                gatewayAPI:
                  httpRoutes: [{name: shop, rules: [main]}]
        %s      steps:
        %s"""
            .formatted(
                template(),
                SampleAppManifests.podTemplate(version, errorRate, latencyMs)
                    .indent(2)
                    .stripTrailing(),
                strategyExtra.isEmpty() ? "" : strategyExtra.indent(6),
                steps.isBlank() ? "        []\n" : steps.indent(6));
  }

  /**
   * The shipped Traefik templates, pointed at this test's Prometheus and tightened for test time.
   * The threshold template's P99 bound goes from 0.3 s to 4 s: an absolute latency bound measures
   * the machine as much as the release, and this one shares two cores with another test lane (the
   * slow canary is the sequential latency test's, which compares with the stable, equally slowed).
   * At 2 s, a fresh preview's first slow answers on a loaded machine (a few above 1 s put P99 in
   * the 1 s to 2.5 s bucket, read as 2.2 s) once rolled back a good blue/green revision.
   */
  static String template() {
    return template("samples/analysis/traefik.yaml");
  }

  /** The same for another shipped template file. */
  static String template(String file) {
    try {
      String yaml = Files.readString(Crds.repoRoot().resolve(file));
      return yaml.replace("http://prometheus.monitoring:9090", prometheus.address())
          .replace("threshold: {max: 0.3}", "threshold: {max: 4}")
          .replace("window: 1m", "window: 15s")
          .replace("interval: 20s", "interval: 3s")
          .replace("initialDelay: 30s", "initialDelay: 5s");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void apply(String yaml) {
    Kubectl.Result r = kubectl.run(yaml, "apply", "-n", NS, "-f", "-");
    assertEquals(0, r.exit(), r.out());
  }

  static void request(String action) {
    Kubectl.Result r = kubectl.request(NS, "shop", action);
    assertEquals(0, r.exit(), r.out());
  }

  static RolloutStatus status() {
    Rollout r = admin.resources(Rollout.class).inNamespace(NS).withName("shop").get();
    return r == null || r.getStatus() == null ? RolloutStatus.empty() : r.getStatus();
  }

  static RevisionState state() {
    return status().state();
  }

  static HTTPRoute route() {
    return admin.resources(HTTPRoute.class).inNamespace(NS).withName("shop").get();
  }

  static int routeCanaryWeight() {
    return canaryWeight(route());
  }

  static int canaryWeight(HTTPRoute route) {
    for (HTTPBackendRef ref : route.getSpec().getRules().get(0).getBackendRefs()) {
      if ("shop-canary".equals(ref.getName())) {
        return ref.getWeight() == null ? 1 : ref.getWeight();
      }
    }
    return -1;
  }

  static List<Pod> pods() {
    return admin.pods().inNamespace(NS).withLabel("app", "shop").list().getItems();
  }

  static String version(PodTemplateSpec t) {
    return t.getSpec().getContainers().get(0).getEnv().stream()
        .filter(e -> "VERSION".equals(e.getName()))
        .map(e -> e.getValue())
        .findFirst()
        .orElse(null);
  }

  static String version(Pod p) {
    return p.getSpec().getContainers().get(0).getEnv().stream()
        .filter(e -> "VERSION".equals(e.getName()))
        .map(e -> e.getValue())
        .findFirst()
        .orElse(null);
  }

  static void await(String what, Duration timeout, Supplier<Boolean> probe) {
    Await.until(what, timeout)
        .ignoringExceptions() // the object may be between states
        .explaining(
            () ->
                "status "
                    + status()
                    + "\ntraefik: "
                    + traefik.tail()
                    + "\n"
                    + kubectl.run(null, "get", "pods,endpointslices", "-n", NS, "-o", "wide").out())
        .value(probe);
  }
}
