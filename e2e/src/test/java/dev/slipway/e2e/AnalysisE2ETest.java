package dev.slipway.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.slipway.analysis.prometheus.PrometheusServer;
import dev.slipway.api.v1alpha1.AnalysisStep;
import dev.slipway.api.v1alpha1.CanaryStep;
import dev.slipway.api.v1alpha1.CanaryStrategy;
import dev.slipway.api.v1alpha1.MetricDef;
import dev.slipway.api.v1alpha1.PostPromotion;
import dev.slipway.api.v1alpha1.PrometheusAuth;
import dev.slipway.api.v1alpha1.PrometheusSpec;
import dev.slipway.api.v1alpha1.RevisionState;
import dev.slipway.api.v1alpha1.Rollout;
import dev.slipway.api.v1alpha1.RolloutSpec;
import dev.slipway.api.v1alpha1.RolloutStatus;
import dev.slipway.api.v1alpha1.SecretKeyRef;
import dev.slipway.api.v1alpha1.Strategy;
import dev.slipway.api.v1alpha1.ThresholdSpec;
import dev.slipway.controller.evidence.RecordStore;
import dev.slipway.controller.reconcile.ClusterFixture;
import dev.slipway.e2e.cluster.Cluster;
import dev.slipway.e2e.cluster.SharedClusters;
import dev.slipway.e2e.cluster.Stacks;
import dev.slipway.e2e.gateway.StandInGateway;
import dev.slipway.e2e.tools.Await;
import dev.slipway.e2e.tools.Kubectl;
import dev.slipway.e2e.traffic.LoopbackTraffic;
import dev.slipway.e2e.workload.ControllerUnderTest;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Analysis end to end: the controller (as its own ServiceAccount) walks canaries while a real
 * Prometheus scrapes real sample-app processes on 127.0.0.1 that receive a load split by the live
 * HTTPRoute weights. A good canary is promoted; a 5xx canary and a slow one are rolled back.
 */
@ResourceLock(Lanes.KWOK_A)
@Order(11)
class AnalysisE2ETest {
  static final int RPS = 25;
  static Cluster cp;
  static ControllerUnderTest controller;
  static StandInGateway gateway;
  static PrometheusServer prometheus;

  @BeforeAll
  static void up() throws Exception {
    PrometheusServer.requireInstalled();
    cp = SharedClusters.withNodes(Lanes.KWOK_A);
    Prerequisites.kwokPods(cp, "the sample app runs as local processes standing in for KWOK pods");
    System.out.println("cluster: " + cp.describe());
    controller = ControllerUnderTest.start(cp);
    gateway = new StandInGateway(cp.admin());
    prometheus = PrometheusServer.empty("- job_name: none\n  static_configs: []\n");
    System.out.println("prometheus: " + prometheus.address());
  }

  @AfterAll
  static void down() throws Exception {
    if (gateway != null) gateway.close();
    if (controller != null) controller.close();
    if (prometheus != null) prometheus.close();
    if (cp != null) cp.close();
  }

  static final String TOKEN = "e2e-s3cr3t-bearer-token-4711";

  /**
   * Success rate and P99 over a short window, measured twice after traffic has had time to show.
   */
  static AnalysisStep analysis() {
    return analysis(null);
  }

  /** With a bearer token from a Secret (Prometheus ignores it; the test proves it never leaks). */
  static AnalysisStep analysis(PrometheusAuth auth) {
    PrometheusSpec prom =
        new PrometheusSpec(prometheus.address(), null, null, "5s", auth, null, null, null);
    MetricDef sr =
        new MetricDef(
            "success-rate",
            MetricDef.BuiltinMetric.successRate,
            null,
            null,
            null,
            "20s",
            new ThresholdSpec(0.95, null),
            null,
            "4s",
            2,
            "6s",
            null,
            1,
            null,
            null,
            null);
    // An absolute bound measures the machine too: 1 s holds for a good canary on a 2-core machine
    // that
    // runs another test lane beside this one, and the slow canary (1.5 s a request) is over it.
    MetricDef p99 =
        new MetricDef(
            "latency-p99",
            MetricDef.BuiltinMetric.latencyP99,
            null,
            null,
            null,
            "20s",
            new ThresholdSpec(null, 1.0),
            null,
            "4s",
            2,
            "6s",
            null,
            1,
            null,
            null,
            null);
    return new AnalysisStep(null, List.of(sr, p99), null, prom);
  }

  static CanaryStep[] analysedSteps() {
    var auth = new PrometheusAuth(new SecretKeyRef("prom-token", "token"), null);
    return new CanaryStep[] {
      CanaryStep.weight(20), CanaryStep.analysis(analysis(auth)),
      CanaryStep.weight(50), CanaryStep.analysis(analysis()),
      CanaryStep.weight(80), CanaryStep.analysis(analysis())
    };
  }

  /** A namespace with Services, the route, and a stable v1 already serving. */
  static ClusterFixture stableNamespace(String ns) {
    cp.admin()
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
        .create();
    ClusterFixture f = new ClusterFixture(cp.admin(), ns);
    f.realApiServer = true;
    f.createServicesAndRoute();
    // Credentials opted in as a namespace admin would: the Secret marked for analysis, and the
    // controller bound to read Secrets here.
    f.client
        .secrets()
        .inNamespace(ns)
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("prom-token")
                .addToLabels("slipway.dev/analysis-credentials", "true")
                .endMetadata()
                .addToStringData("token", TOKEN)
                .build())
        .create();
    Stacks.grantAnalysisCredentials(cp, ns);
    f.client.resource(f.rollout("app:1", analysedSteps())).create();
    RolloutAwait.status(
        f, s -> s.state() == RevisionState.Stable, Duration.ofSeconds(90), new ArrayList<>());
    return f;
  }

  /** Changes image and env as a user's Git commit would. */
  static void deploy(ClusterFixture f, String image, String errorRate, String latencyMs) {
    for (int attempt = 0; ; attempt++) {
      Rollout r = f.get();
      var c = r.getSpec().template().getSpec().getContainers().get(0);
      c.setImage(image);
      c.setEnv(
          List.of(
              new EnvVar("ERROR_RATE", errorRate, null),
              new EnvVar("LATENCY_MS", latencyMs, null)));
      try {
        f.client.resource(r).update();
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || attempt > 5) throw e;
      }
    }
  }

  static RolloutStatus await(ClusterFixture f, Predicate<RolloutStatus> done, List<String> trace) {
    return RolloutAwait.status(f, done, Duration.ofSeconds(180), trace);
  }

  @Test
  void goodCanaryIsPromotedThroughThreeStepsWithAnalysis() throws Exception {
    var logs = new ListAppender<ILoggingEvent>();
    var context = (LoggerContext) LoggerFactory.getILoggerFactory();
    logs.setContext(context);
    logs.start();
    context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(logs);
    context.getLogger("dev.slipway").setLevel(Level.DEBUG);
    ClusterFixture f = stableNamespace("e2e-good");
    try (LoopbackTraffic traffic =
        new LoopbackTraffic(f.client, f.ns, "demo", "demo", prometheus, RPS)) {
      String v1 = f.get().getStatus().stableRevision();
      deploy(f, "app:2", "0", "0");
      List<String> trace = new ArrayList<>();
      List<String> verdicts = Collections.synchronizedList(new ArrayList<>());
      RolloutStatus s =
          await(
              f,
              st -> {
                if (st.analysisRuns() != null) {
                  st.analysisRuns()
                      .forEach(
                          r -> {
                            String v = r.step() + ":" + r.verdict();
                            if (!verdicts.contains(v)) verdicts.add(v);
                          });
                }
                return st.state() == RevisionState.Stable
                    && !v1.equals(st.stableRevision())
                    && st.canaryRevision() == null;
              },
              trace);
      String v2 = s.stableRevision();
      assertTrue(
          verdicts.containsAll(List.of("1:Successful", "3:Successful", "5:Successful")),
          verdicts + " " + trace);
      assertTrue(
          traffic.load().ok(v2) > 50, "the canary served real traffic: " + traffic.load().ok(v2));
      assertEquals(0, traffic.load().errors(v2));
      List<String> events =
          f.client.v1().events().inNamespace(f.ns).list().getItems().stream()
              .map(e -> e.getReason())
              .toList();
      assertTrue(events.contains("AnalysisSuccessful"), events.toString());

      var entries = EvidenceChecks.exportAndVerify(cp, f.ns, "demo", v2);
      List<String> kinds = entries.stream().map(e -> e.kind()).distinct().toList();
      assertTrue(
          kinds.containsAll(
              List.of(
                  "RecordOpened",
                  "Transition",
                  "TransitionApplied",
                  "WeightSet",
                  "WeightWritten",
                  "WeightVerified",
                  "Measurement",
                  "AnalysisVerdict")),
          kinds.toString());
      var measurement =
          entries.stream().filter(e -> e.kind().equals("Measurement")).findFirst().orElseThrow();
      assertTrue(
          String.valueOf(measurement.data().get("query"))
              .contains("slipway_pod_template_hash=\"" + v2 + "\""),
          measurement.toString());
      assertEquals(prometheus.address(), measurement.data().get("provider"));
      var opened = entries.get(0);
      assertEquals("RecordOpened", opened.kind());
      assertEquals(
          "system:serviceaccount:slipway-system:slipway-controller",
          opened.data().get("controller"));
      List<String> transitions =
          entries.stream()
              .filter(e -> e.kind().equals("Transition"))
              .map(e -> e.data().get("to").toString())
              .toList();
      assertEquals(List.of("Pending", "Ready", "Canary", "Promoted", "Stable"), transitions);

      // The bearer token was sent with the first analysis, yet appears in no record and no log
      // line.
      String records =
          new Kubectl(cp.adminKubeconfig())
              .run(null, "get", "rolloutrecords.slipway.dev", "-n", f.ns, "-o", "json")
              .out();
      assertTrue(
          records.contains("\"kind\": \"RolloutRecord\""),
          records.substring(0, Math.min(300, records.length())));
      assertFalse(records.contains(TOKEN), "the token is in a RolloutRecord");
      String status =
          new Kubectl(cp.adminKubeconfig())
              .run(null, "get", "rollouts.slipway.dev", "demo", "-n", f.ns, "-o", "json")
              .out();
      assertFalse(status.contains(TOKEN), "the token is in the Rollout");
      List<String> lines = logs.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
      assertTrue(lines.size() > 0, "logs were captured");
      assertTrue(lines.stream().noneMatch(l -> l.contains(TOKEN)), "the token is in a log line");
      System.out.println(
          "  bearer token absent from "
              + entries.size()
              + " entries, the RolloutRecords, the Rollout and "
              + lines.size()
              + " log lines");
    } finally {
      context.getLogger(Logger.ROOT_LOGGER_NAME).detachAppender(logs);
      context.getLogger("dev.slipway").setLevel(null);
    }
  }

  @Test
  void fiveXxCanaryIsRolledBackTrafficFirst() {
    ClusterFixture f = stableNamespace("e2e-5xx");
    List<String> log = Collections.synchronizedList(new ArrayList<>());
    var firstCanaryTraffic = new AtomicLong();
    var backToZero = new AtomicLong();
    try (LoopbackTraffic traffic =
            new LoopbackTraffic(f.client, f.ns, "demo", "demo", prometheus, RPS);
        var routeWatch =
            f.client
                .resources(HTTPRoute.class)
                .inNamespace(f.ns)
                .withName("demo")
                .watch(
                    new Watcher<>() {
                      public void eventReceived(Action a, HTTPRoute r) {
                        Integer w =
                            r.getSpec().getRules().get(0).getBackendRefs().get(1).getWeight();
                        log.add("weight " + w);
                        if (w != null && w > 0)
                          firstCanaryTraffic.compareAndSet(0, System.nanoTime());
                        if (w != null && w == 0 && firstCanaryTraffic.get() != 0)
                          backToZero.compareAndSet(0, System.nanoTime());
                      }

                      public void onClose(WatcherException e) {}
                    });
        var rsWatch =
            f.client
                .apps()
                .replicaSets()
                .inNamespace(f.ns)
                .watch(
                    new Watcher<>() {
                      public void eventReceived(Action a, ReplicaSet rs) {
                        log.add(
                            "rs "
                                + rs.getMetadata().getLabels().get("slipway.dev/pod-template-hash")
                                + " "
                                + rs.getSpec().getReplicas());
                      }

                      public void onClose(WatcherException e) {}
                    })) {
      deploy(f, "app:2-bad", "0.2", "0");
      List<String> trace = new ArrayList<>();
      RolloutStatus s =
          await(
              f,
              st ->
                  st.state() == RevisionState.RolledBack
                      && st.message() != null
                      && st.message().startsWith("rolled back"),
              trace);
      String canary = s.canaryRevision();
      var aborted =
          s.conditionsOrEmpty().stream()
              .filter(c -> c.type().equals("Aborted"))
              .findFirst()
              .orElseThrow();
      assertEquals("AnalysisFailed", aborted.reason(), aborted.message());
      assertTrue(aborted.message().contains("success-rate"), aborted.message());
      assertTrue(traffic.load().errors(canary) > 0, "the canary really served 5xx");
      Await.until(
          "the canary's scale-down in the watch",
          Duration.ofSeconds(30),
          () -> log.contains("rs " + canary + " 0"));
      List<String> seen = List.copyOf(log);
      int scaledDown = seen.indexOf("rs " + canary + " 0");
      assertTrue(scaledDown > 0, "canary scaled down: " + seen);
      int lastNonZeroWeight = -1;
      for (int i = 0; i < scaledDown; i++) {
        if (seen.get(i).startsWith("weight ") && !seen.get(i).equals("weight 0"))
          lastNonZeroWeight = i;
      }
      int zeroAfter = seen.subList(lastNonZeroWeight + 1, scaledDown).indexOf("weight 0");
      assertTrue(
          lastNonZeroWeight >= 0 && zeroAfter >= 0,
          "weight reached 0 before the canary was scaled down: " + seen);
      assertEquals(100, f.weights()[0]);
      assertNotNull(s.analysisRuns());
      System.out.printf(
          Locale.ROOT,
          "  time to roll back a 20%%-5xx canary: %d ms from its first traffic (weight 20) to weight 0,"
              + " with analysis after 6 s then every 4 s (count 2, failureLimit 0)%n",
          (backToZero.get() - firstCanaryTraffic.get()) / 1_000_000);
    }
  }

  @Test
  void slowCanaryIsRolledBackOnP99() {
    ClusterFixture f = stableNamespace("e2e-slow");
    try (LoopbackTraffic traffic =
        new LoopbackTraffic(f.client, f.ns, "demo", "demo", prometheus, RPS)) {
      deploy(f, "app:2-slow", "0", "1500");
      List<String> trace = new ArrayList<>();
      RolloutStatus s = await(f, st -> st.state() == RevisionState.RolledBack, trace);
      var aborted =
          s.conditionsOrEmpty().stream()
              .filter(c -> c.type().equals("Aborted"))
              .findFirst()
              .orElseThrow();
      assertEquals("AnalysisFailed", aborted.reason(), aborted.message());
      assertTrue(aborted.message().contains("latency-p99"), aborted.message());
      var p99 =
          s.analysisRuns().get(0).metrics().stream()
              .filter(m -> m.name().equals("latency-p99"))
              .findFirst()
              .orElseThrow();
      assertTrue(p99.value() > 1.0, "measured P99 " + p99.value());
    }
  }

  /**
   * The post-promotion window catches what the steps let through: the steps check P99 loosely, the
   * window strictly. After promotion the previous stable is still ready, so the stable Service goes
   * straight back to it and the promoted revision is scaled down afterwards.
   */
  @Test
  void failureInThePostPromotionWindowSendsTrafficBack() {
    String ns = "e2e-window";
    cp.admin()
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
        .create();
    ClusterFixture f = new ClusterFixture(cp.admin(), ns);
    f.realApiServer = true;
    f.createServicesAndRoute();
    PrometheusSpec prom =
        new PrometheusSpec(prometheus.address(), null, null, "5s", null, null, null, null);
    MetricDef strict =
        new MetricDef(
            "latency-p99",
            MetricDef.BuiltinMetric.latencyP99,
            null,
            null,
            null,
            "20s",
            new ThresholdSpec(null, 0.0001),
            null,
            "4s",
            2,
            "6s",
            null,
            1,
            null,
            null,
            null);
    var window =
        new PostPromotion("20s", new AnalysisStep(null, List.of(strict), null, prom), null);
    Rollout r = f.rollout("app:1", CanaryStep.weight(50), CanaryStep.analysis(analysis()));
    var c = r.getSpec().strategy().canary();
    r.setSpec(
        new RolloutSpec(
            r.getSpec().replicas(),
            r.getSpec().selector(),
            r.getSpec().template(),
            null,
            r.getSpec().progressDeadlineSeconds(),
            null,
            new Strategy(
                new CanaryStrategy(
                    c.stableService(),
                    c.canaryService(),
                    c.trafficRouting(),
                    null,
                    window,
                    c.scaleDownDelay(),
                    c.steps()))));
    f.client.resource(r).create();
    String v1 =
        RolloutAwait.status(
                f,
                s -> s.state() == RevisionState.Stable,
                Duration.ofSeconds(90),
                new ArrayList<>())
            .stableRevision();
    try (LoopbackTraffic traffic =
        new LoopbackTraffic(f.client, f.ns, "demo", "demo", prometheus, RPS)) {
      deploy(f, "app:2", "0", "0");
      List<String> trace = new ArrayList<>();
      await(f, s -> s.state() == RevisionState.Promoted && s.promotedFrom() != null, trace);
      assertEquals(
          4,
          f.client
              .apps()
              .replicaSets()
              .inNamespace(ns)
              .withName("demo-" + v1)
              .get()
              .getSpec()
              .getReplicas(),
          "the previous stable stays scaled up through the window");
      RolloutStatus s =
          await(
              f,
              x ->
                  x.state() == RevisionState.RolledBack
                      && x.message() != null
                      && x.message().startsWith("rolled back"),
              trace);
      var aborted =
          s.conditionsOrEmpty().stream()
              .filter(x -> x.type().equals("Aborted"))
              .findFirst()
              .orElseThrow();
      assertEquals("PostPromotionAnalysisFailed", aborted.reason(), aborted.message());
      assertEquals(v1, s.stableRevision(), "stable is the previous revision again");
      assertEquals(
          v1,
          f.client
              .services()
              .inNamespace(ns)
              .withName("demo-stable")
              .get()
              .getSpec()
              .getSelector()
              .get("slipway.dev/pod-template-hash"));
      assertEquals(
          0,
          f.client
              .apps()
              .replicaSets()
              .inNamespace(ns)
              .withName("demo-" + s.canaryRevision())
              .get()
              .getSpec()
              .getReplicas());
      // The window's measurements and verdict are evidence of the promoted revision, like the
      // steps'.
      var entries =
          RecordStore.reader(cp.admin())
              .entries(ns, "demo", s.canaryRevision(), s.attempt() == null ? 1 : s.attempt());
      List<String> windowKeys =
          entries.stream().map(e -> e.key()).filter(k -> k.contains("post-promotion/")).toList();
      System.out.println("  post-promotion evidence: " + windowKeys);
      assertTrue(
          windowKeys.stream().anyMatch(k -> k.startsWith("measurement/post-promotion/")),
          "window measurements recorded: " + windowKeys);
      assertTrue(
          windowKeys.stream()
              .anyMatch(k -> k.startsWith("analysis/post-promotion/") && k.endsWith("/Failed")),
          "window verdict recorded: " + windowKeys);
    }
  }
}
