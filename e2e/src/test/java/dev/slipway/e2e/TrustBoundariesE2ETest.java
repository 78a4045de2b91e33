package dev.slipway.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.slipway.api.v1alpha1.AnalysisStep;
import dev.slipway.api.v1alpha1.CanaryStep;
import dev.slipway.api.v1alpha1.CanaryStrategy;
import dev.slipway.api.v1alpha1.Condition;
import dev.slipway.api.v1alpha1.GatewayApiRouting;
import dev.slipway.api.v1alpha1.HttpRouteRef;
import dev.slipway.api.v1alpha1.MetricDef;
import dev.slipway.api.v1alpha1.Phase;
import dev.slipway.api.v1alpha1.PrometheusAuth;
import dev.slipway.api.v1alpha1.PrometheusSpec;
import dev.slipway.api.v1alpha1.RecordEntry;
import dev.slipway.api.v1alpha1.RequestAction;
import dev.slipway.api.v1alpha1.RevisionState;
import dev.slipway.api.v1alpha1.Rollout;
import dev.slipway.api.v1alpha1.RolloutRecord;
import dev.slipway.api.v1alpha1.RolloutRecordSpec;
import dev.slipway.api.v1alpha1.RolloutSpec;
import dev.slipway.api.v1alpha1.RolloutStatus;
import dev.slipway.api.v1alpha1.SecretKeyRef;
import dev.slipway.api.v1alpha1.Strategy;
import dev.slipway.api.v1alpha1.ThresholdSpec;
import dev.slipway.api.v1alpha1.TrafficRouting;
import dev.slipway.api.v1alpha1.WorkloadRef;
import dev.slipway.controller.evidence.EvidenceHead;
import dev.slipway.controller.evidence.RecordStore;
import dev.slipway.controller.reconcile.ClusterFixture;
import dev.slipway.e2e.cluster.Cluster;
import dev.slipway.e2e.cluster.Stacks;
import dev.slipway.e2e.tools.Await;
import dev.slipway.e2e.tools.Kubectl;
import dev.slipway.testing.Never;
import dev.slipway.testing.TestTime;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1beta1.ReferenceGrant;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * The trust boundaries, each tried as a careless or hostile tenant would, against the controller
 * running as its own ServiceAccount under the shipped RBAC on a real API server.
 */
@ResourceLock(Lanes.KWOK_B)
@Order(24)
class TrustBoundariesE2ETest {
  static KwokStack stack;
  static Cluster cp;
  static Kubectl kubectl;

  @BeforeAll
  static void up() {
    stack = new KwokStack(Lanes.KWOK_B);
    cp = stack.cp;
    kubectl = stack.kubectl;
  }

  @AfterAll
  static void down() {
    if (stack != null) stack.close();
  }

  static ClusterFixture namespace(String ns) {
    return stack.namespace(ns);
  }

  static RolloutStatus await(ClusterFixture f, String what, Predicate<RolloutStatus> done) {
    try {
      return RolloutAwait.status(f, done, Duration.ofSeconds(90), new ArrayList<>());
    } catch (AssertionError e) {
      throw new AssertionError(what + ": " + e.getMessage());
    }
  }

  /** Like await, for a Rollout whose route is not the fixture's. */
  static RolloutStatus awaitStatus(ClusterFixture f, String what, Predicate<RolloutStatus> done) {
    return RolloutAwait.status(f, what, done, Duration.ofSeconds(90));
  }

  static Condition condition(RolloutStatus s, String type) {
    return s == null
        ? null
        : s.conditionsOrEmpty().stream()
            .filter(c -> c.type().equals(type))
            .findFirst()
            .orElse(null);
  }

  static List<Event> events(ClusterFixture f, String reason) {
    return cp.admin().v1().events().inNamespace(f.ns).list().getItems().stream()
        .filter(e -> reason.equals(e.getReason()) && "demo".equals(e.getInvolvedObject().getName()))
        .toList();
  }

  static List<RecordEntry> record(ClusterFixture f) {
    Rollout r = f.get();
    String rev =
        r.getStatus().canaryRevision() != null
            ? r.getStatus().canaryRevision()
            : r.getStatus().stableRevision();
    return RecordStore.reader(cp.admin())
        .entries(f.ns, "demo", rev, r.getStatus().attempt() == null ? 1 : r.getStatus().attempt());
  }

  /** A stable v1, then v2 paused at weight 20 (steps: 20, pause until resumed). */
  static ClusterFixture pausedAt20(String ns) {
    ClusterFixture f = namespace(ns);
    f.createServicesAndRoute();
    f.client.resource(f.rollout("app:1", CanaryStep.weight(20), CanaryStep.pause(null))).create();
    await(f, "v1 stable", s -> s.state() == RevisionState.Stable);
    f.newImage("app:2");
    await(
        f,
        "v2 paused at 20",
        s -> s.state() == RevisionState.Paused && Integer.valueOf(20).equals(s.verifiedWeight()));
    return f;
  }

  // ---- 1. every failure visible in the same pass ----

  @Test
  void aTemplateTheApiServerRejectsIsVisibleAtOnceAndOnceAsAnEvent() {
    ClusterFixture f = namespace("tb-reject");
    f.createServicesAndRoute();
    Rollout r = f.rollout("app:1", CanaryStep.weight(20));
    r.getSpec().template().getSpec().getContainers().get(0).setName("Bad_Name");
    f.client.resource(r).create();
    RolloutStatus s = await(f, "ActionFailed", x -> condition(x, "ActionFailed") != null);
    Condition c = condition(s, "ActionFailed");
    System.out.println(
        "rejected template: phase "
            + s.phase()
            + ", observedGeneration "
            + s.observedGeneration()
            + ", condition "
            + c.reason()
            + ": "
            + c.message());
    assertEquals("Invalid", c.reason());
    assertTrue(c.message().contains("Bad_Name") && c.message().contains("HTTP 422"), c.message());
    assertEquals(Phase.Degraded, s.phase());
    assertEquals(f.get().getMetadata().getGeneration(), s.observedGeneration());
    // More passes (two manual requests wake it) make the same Event count up, not more Events.
    f.request("Pause");
    await(f, "first request handled", x -> x.lastAction() != null);
    f.request("Resume");
    Instant until = Instant.now().plus(TestTime.of(Duration.ofSeconds(30)));
    while (Instant.now().isBefore(until)
        && events(f, "ActionFailed").stream().mapToInt(Event::getCount).max().orElse(0) < 2) {
      Await.sleep(200);
    }
    List<Event> ev = events(f, "ActionFailed");
    System.out.println(
        "ActionFailed Events: "
            + ev.size()
            + " object(s), count "
            + ev.stream().map(Event::getCount).toList());
    assertEquals(1, ev.size(), "one Event, aggregated");
    assertTrue(ev.get(0).getCount() >= 2, "its count grows: " + ev.get(0).getCount());
    // Fixed in Git: the next change is reconciled and the failure clears.
    // The controller writes status meanwhile: a 409 means read again and retry, as any client
    // would.
    for (int tries = 0; ; tries++) {
      Rollout fixed = f.get();
      fixed.getSpec().template().getSpec().getContainers().get(0).setName("app");
      try {
        f.client.resource(fixed).update();
        break;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || tries >= 20) throw e;
        Await.sleep(100);
      }
    }
    s = await(f, "fixed template becomes stable", x -> x.state() == RevisionState.Stable);
    assertNull(condition(s, "ActionFailed"));
  }

  // ---- 3. namespaces are boundaries ----

  @Test
  void aRouteInAnotherNamespaceIsWrittenOnlyUnderAReferenceGrant() {
    ClusterFixture f = namespace("tb-xns-app");
    cp.admin()
        .namespaces()
        .resource(
            new NamespaceBuilder().withNewMetadata().withName("tb-xns-gw").endMetadata().build())
        .create();
    for (String svc : List.of("demo-stable", "demo-canary")) {
      f.client
          .services()
          .inNamespace(f.ns)
          .resource(
              new ServiceBuilder()
                  .withNewMetadata()
                  .withName(svc)
                  .endMetadata()
                  .withNewSpec()
                  .addToSelector("app", "demo")
                  .addNewPort()
                  .withPort(80)
                  .endPort()
                  .endSpec()
                  .build())
          .create();
    }
    f.client
        .resources(HTTPRoute.class)
        .inNamespace("tb-xns-gw")
        .resource(
            Serialization.unmarshal(
                """
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: shared, namespace: tb-xns-gw}
        spec:
          parentRefs: [{name: gw}]
          rules:
          - name: main
            backendRefs:
            - {name: demo-stable, namespace: tb-xns-app, port: 80, weight: 90}
            - {name: demo-canary, namespace: tb-xns-app, port: 80, weight: 10}
        """,
                HTTPRoute.class))
        .create();
    Rollout crossNs = f.rollout("app:1", CanaryStep.weight(20));
    var spec = crossNs.getSpec();
    crossNs.setSpec(
        new RolloutSpec(
            spec.replicas(),
            spec.selector(),
            spec.template(),
            null,
            600,
            null,
            new Strategy(
                new CanaryStrategy(
                    "demo-stable",
                    "demo-canary",
                    new TrafficRouting(
                        new GatewayApiRouting(
                            List.of(new HttpRouteRef("shared", List.of("main"))),
                            "tb-xns-gw",
                            null)),
                    null,
                    null,
                    null,
                    List.of(CanaryStep.weight(20))))));
    f.client.resource(crossNs).create();
    awaitStatus(f, "first revision stable (no canary yet)", x -> x.state() == RevisionState.Stable);
    f.client
        .resources(Rollout.class)
        .inNamespace(f.ns)
        .withName("demo")
        .edit(
            x -> {
              x.getSpec().template().getSpec().getContainers().get(0).setImage("app:2");
              return x;
            });
    RolloutStatus s =
        awaitStatus(
            f,
            "RouteNotGranted",
            x ->
                condition(x, "TrafficRouted") != null
                    && "RouteNotGranted".equals(condition(x, "TrafficRouted").reason())
                    && x.state() == RevisionState.Canary);
    System.out.println("no grant: " + condition(s, "TrafficRouted").message() + "; " + s.message());
    Never.changes(
        Duration.ofSeconds(2),
        "the other namespace's route is untouched and the canary holds, with no weight it may write",
        "10 Canary",
        () -> weightOf("tb-xns-gw", "shared", "demo-canary") + " " + f.get().getStatus().state());
    f.client
        .resource(
            Serialization.unmarshal(
                """
        apiVersion: gateway.networking.k8s.io/v1beta1
        kind: ReferenceGrant
        metadata: {name: slipway-from-app, namespace: tb-xns-gw}
        spec:
          from: [{group: slipway.dev, kind: Rollout, namespace: tb-xns-app}]
          to: [{group: gateway.networking.k8s.io, kind: HTTPRoute, name: shared}]
        """,
                ReferenceGrant.class))
        .create();
    s =
        awaitStatus(
            f,
            "granted: the canary moves and is promoted",
            x -> x.state() == RevisionState.Stable && x.canaryRevision() == null);
    assertEquals(0, weightOf("tb-xns-gw", "shared", "demo-canary"));
    System.out.println(
        "with a ReferenceGrant in tb-xns-gw: weights written there (20, then 0 on promotion), Rollout "
            + s.state());
  }

  static int weightOf(String ns, String route, String backend) {
    HTTPRoute r = cp.admin().resources(HTTPRoute.class).inNamespace(ns).withName(route).get();
    return r.getSpec().getRules().get(0).getBackendRefs().stream()
        .filter(b -> backend.equals(b.getName()))
        .findFirst()
        .orElseThrow()
        .getWeight();
  }

  // ---- 4. exclusive ownership ----

  @Test
  void aSecondRolloutClaimingTheSameServicesWritesNothing() {
    ClusterFixture f = namespace("tb-claim");
    f.createServicesAndRoute();
    f.client.resource(f.rollout("app:1", CanaryStep.weight(20))).create();
    await(f, "first Rollout stable", s -> s.state() == RevisionState.Stable);
    String routeBefore = Serialization.asJson(f.route().getSpec());
    Rollout second =
        ClusterFixture.withName(
            ClusterFixture.spec("other:1", CanaryStep.weight(50)), "second", f.ns);
    second.getSpec().selector().getMatchLabels().put("app", "other");
    second.getSpec().template().getMetadata().getLabels().put("app", "other");
    f.client.resource(second).create();
    Rollout got = null;
    for (int i = 0; i < TestTime.millis(10_000) / 100; i++) {
      got = f.client.resources(Rollout.class).inNamespace(f.ns).withName("second").get();
      if (condition(got.getStatus(), "OwnershipConflict") != null) break;
      Await.sleep(100);
    }
    Condition c = condition(got.getStatus(), "OwnershipConflict");
    assertTrue(
        c != null && c.message().contains("Rollout tb-claim/demo"),
        String.valueOf(got.getStatus()));
    System.out.println("second claimant: phase " + got.getStatus().phase() + ": " + c.message());
    assertEquals(
        List.of(),
        f.client
            .apps()
            .replicaSets()
            .inNamespace(f.ns)
            .withLabel("slipway.dev/rollout", "second")
            .list()
            .getItems(),
        "no ReplicaSet of the second claimant");
    assertEquals(
        routeBefore, Serialization.asJson(f.route().getSpec()), "the route untouched by it");
  }

  // ---- 5. drift corrected and recorded ----

  @Test
  void weightsAndSelectorsChangedByHandArePutBackAndRecorded() {
    ClusterFixture f = pausedAt20("tb-drift");
    String canaryRev = f.get().getStatus().canaryRevision();
    String stableRev = f.get().getStatus().stableRevision();
    List<Integer> seenVerified = Collections.synchronizedList(new ArrayList<>());
    f.client
        .resources(HTTPRoute.class)
        .inNamespace(f.ns)
        .withName("demo")
        .edit(
            r -> {
              r.getSpec().getRules().get(0).getBackendRefs().get(0).setWeight(50);
              r.getSpec().getRules().get(0).getBackendRefs().get(1).setWeight(50);
              return r;
            });
    long t0 = System.nanoTime();
    while (f.weights()[1] != 20
        && System.nanoTime() - t0 < TestTime.of(Duration.ofSeconds(30)).toNanos()) {
      seenVerified.add(f.get().getStatus().verifiedWeight());
      Await.sleep(20);
    }
    System.out.printf(
        "route weight set to 50 by hand: put back to 20 after %d ms; verifiedWeight seen meanwhile: %s%n",
        (System.nanoTime() - t0) / 1_000_000, seenVerified.stream().distinct().toList());
    assertEquals(20, f.weights()[1]);
    assertFalse(seenVerified.contains(50), "status never called 50 verified");
    f.client
        .services()
        .inNamespace(f.ns)
        .withName("demo-canary")
        .edit(
            svc -> {
              svc.getSpec().getSelector().put("slipway.dev/pod-template-hash", stableRev);
              return svc;
            });
    t0 = System.nanoTime();
    while (!canaryRev.equals(
            f.client
                .services()
                .inNamespace(f.ns)
                .withName("demo-canary")
                .get()
                .getSpec()
                .getSelector()
                .get("slipway.dev/pod-template-hash"))
        && System.nanoTime() - t0 < TestTime.of(Duration.ofSeconds(30)).toNanos()) {
      Await.sleep(20);
    }
    System.out.printf(
        "canary Service selector pointed at stable by hand: put back after %d ms%n",
        (System.nanoTime() - t0) / 1_000_000);
    await(
        f,
        "both corrections recorded",
        x -> record(f).stream().filter(e -> e.kind().equals("DriftCorrected")).count() >= 2);
    Never.within(
        Duration.ofSeconds(1),
        "more than one Drift entry per drift",
        () -> record(f).stream().filter(e -> e.kind().startsWith("Drift")).count() > 4);
    List<RecordEntry> drift = record(f).stream().filter(e -> e.kind().startsWith("Drift")).toList();
    drift.forEach(e -> System.out.println("  evidence " + e.kind() + " " + e.data()));
    assertEquals(
        2,
        drift.stream().filter(e -> e.kind().equals("Drift")).count(),
        "one Drift entry per drift");
    assertEquals(2, drift.stream().filter(e -> e.kind().equals("DriftCorrected")).count());
    assertTrue(events(f, "Drift").size() >= 2, "Warning Events");
  }

  // ---- 6. no promotion onto a missing backend ----

  @Test
  void aMissingCanaryServiceHoldsTheStepAndResumeIsRefused() {
    ClusterFixture f = pausedAt20("tb-missing");
    f.client.services().inNamespace(f.ns).withName("demo-canary").delete();
    f.request("Resume");
    RolloutStatus s =
        await(
            f,
            "Resume refused",
            x -> x.lastAction() != null && x.lastAction().action() == RequestAction.Resume);
    System.out.println(
        "canary Service deleted, Resume: "
            + s.lastAction().result()
            + "; TrafficRouted "
            + condition(s, "TrafficRouted").reason()
            + ": "
            + condition(s, "TrafficRouted").message());
    assertTrue(
        s.lastAction().result().startsWith("refused: Service tb-missing/demo-canary not found"),
        s.lastAction().result());
    assertEquals("ServiceNotFound", condition(s, "TrafficRouted").reason());
    Never.changes(
        Duration.ofSeconds(2),
        "no weight beyond the current one, still paused",
        "20 Paused",
        () -> f.weights()[1] + " " + f.get().getStatus().state());
    f.client
        .services()
        .inNamespace(f.ns)
        .resource(
            new ServiceBuilder()
                .withNewMetadata()
                .withName("demo-canary")
                .endMetadata()
                .withNewSpec()
                .addToSelector("app", "demo")
                .addNewPort()
                .withPort(80)
                .endPort()
                .endSpec()
                .build())
        .create();
    f.request("Resume");
    await(f, "resumed once the Service is back", x -> x.state() == RevisionState.Stable);
  }

  // ---- 7 and 8. credentials opted in; provider addresses under a policy; upstream text bounded
  // ----

  static AnalysisStep analysis(String address, PrometheusAuth auth) {
    PrometheusSpec prom = new PrometheusSpec(address, null, null, "2s", auth, null, null, null);
    MetricDef m =
        new MetricDef(
            "success-rate",
            MetricDef.BuiltinMetric.successRate,
            null,
            null,
            null,
            "20s",
            new ThresholdSpec(0.9, null),
            null,
            "1s",
            1,
            null,
            null,
            null,
            0,
            null,
            null);
    return new AnalysisStep(null, List.of(m), null, prom);
  }

  static RolloutStatus analysedCanary(ClusterFixture f, AnalysisStep a) {
    f.createServicesAndRoute();
    f.client.resource(f.rollout("app:1", CanaryStep.weight(20), CanaryStep.analysis(a))).create();
    await(f, "v1 stable", s -> s.state() == RevisionState.Stable);
    f.newImage("app:2");
    return await(f, "analysis ends the canary", s -> s.state() == RevisionState.RolledBack);
  }

  @Test
  void aSecretNotOptedInIsNeverUsedAndTheControllerCannotReadOthers() {
    ClusterFixture f = namespace("tb-secret");
    f.client
        .secrets()
        .inNamespace(f.ns)
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("db")
                .endMetadata()
                .addToStringData("token", "do-not-send")
                .build())
        .create();
    Kubectl.Result can =
        kubectl.run(
            null,
            "auth",
            "can-i",
            "get",
            "secrets",
            "-n",
            f.ns,
            "--as=system:serviceaccount:slipway-system:slipway-controller");
    System.out.println(
        "kubectl auth can-i get secrets -n tb-secret --as=<controller>: " + can.out().strip());
    assertEquals("no", can.out().strip());
    RolloutStatus s =
        analysedCanary(
            f,
            analysis(
                "http://127.0.0.1:9", new PrometheusAuth(new SecretKeyRef("db", "token"), null)));
    String msg = s.analysisRuns().get(0).message();
    System.out.println("analysis naming an unlabelled Secret without the grant: " + s.message());
    assertTrue(
        s.message().contains("Secret tb-secret/db could not be read")
            || s.message().contains("not marked for analysis credentials"),
        s.message() + " / " + msg);
    Stacks.grantAnalysisCredentials(cp, f.ns);
    f.request("Retry");
    s =
        await(
            f,
            "retried and rolled back again",
            x -> x.state() == RevisionState.RolledBack && x.attempt() != null && x.attempt() == 2);
    System.out.println("granted, but the Secret is not labelled: " + s.message());
    assertTrue(
        s.message().contains("Secret tb-secret/db is not marked for analysis credentials"),
        s.message());
  }

  @Test
  void aMetadataAddressIsRefusedAndUpstreamErrorTextNeverReachesSharedPlaces() throws Exception {
    ClusterFixture f = namespace("tb-provider");
    // The plain spelling is refused at admission (AdmissionTest); an IPv4-mapped IPv6 literal gets
    // past the CEL rule and is refused by the runtime policy, by the address it resolves to.
    RolloutStatus s = analysedCanary(f, analysis("http://[::ffff:169.254.169.254]:80", null));
    System.out.println("analysis against [::ffff:169.254.169.254]: " + s.message());
    assertTrue(
        s.message().contains("provider refused by policy")
            && s.message().contains("link-local or a metadata address"),
        s.message());

    // A provider that answers with a hostile error body: internal data, control characters, a
    // forged line, 20 KB.
    HttpServer hostile = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    String body =
        "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"INTERNAL-ONLY-DATA: db_password=hunter2\\r\\nX-Forged: yes\\u0000\\u202e"
            + "A".repeat(20000)
            + "\"}";
    hostile.createContext(
        "/",
        ex -> {
          byte[] b = body.getBytes(StandardCharsets.UTF_8);
          ex.sendResponseHeaders(400, b.length);
          ex.getResponseBody().write(b);
          ex.close();
        });
    hostile.start();
    try {
      ClusterFixture g = namespace("tb-upstream");
      s = analysedCanary(g, analysis("http://127.0.0.1:" + hostile.getAddress().getPort(), null));
      String recorded =
          record(g).stream()
              .filter(e -> e.kind().equals("Measurement"))
              .map(e -> String.valueOf(e.data().get("reason")))
              .findFirst()
              .orElse("");
      String events =
          cp.admin().v1().events().inNamespace(g.ns).list().getItems().stream()
              .map(Event::getMessage)
              .collect(Collectors.joining("\n"));
      String statusJson = Serialization.asJson(g.get().getStatus());
      String records =
          Serialization.asJson(
              cp.admin().resources(RolloutRecord.class).inNamespace(g.ns).list().getItems());
      System.out.println(
          "hostile upstream: status message: " + s.message() + "; recorded reason: " + recorded);
      assertTrue(recorded.contains("prometheus refused the query: bad_data"), recorded);
      assertTrue(s.message().contains("prometheus refused the query: bad_data"), s.message());
      for (String shared : List.of(statusJson, records, events)) {
        assertFalse(
            shared.contains("INTERNAL-ONLY")
                || shared.contains("hunter2")
                || shared.contains("X-Forged")
                || shared.contains("AAAA"),
            "no upstream text in status, records or Events: "
                + shared.substring(0, Math.min(400, shared.length())));
      }
    } finally {
      hostile.stop(0);
    }
  }

  // ---- 9. evidence cannot silently shrink ----

  @Test
  void aRecordDeletedAndRecreatedShorterIsCaught() throws Exception {
    ClusterFixture f = namespace("tb-evidence");
    f.createServicesAndRoute();
    f.client.resource(f.rollout("app:1", CanaryStep.weight(20), CanaryStep.weight(60))).create();
    await(f, "v1 stable", s -> s.state() == RevisionState.Stable);
    f.newImage("app:2");
    await(
        f,
        "v2 stable",
        s ->
            s.state() == RevisionState.Stable
                && "app:2"
                    .equals(
                        f.get().getSpec().template().getSpec().getContainers().get(0).getImage())
                && s.canaryRevision() == null);
    Kubectl.Result ok = kubectl.plugin("evidence", "verify", "--rollout", "demo", "-n", f.ns);
    System.out.println("intact: " + ok.out().strip());
    assertEquals(0, ok.exit(), ok.out());
    // An evidence admin deletes the newest record and recreates it with only its first entries:
    // each entry is genuine and signed, so the record alone still verifies.
    Rollout r = f.get();
    String rev = r.getStatus().stableRevision();
    RolloutRecord full =
        cp.admin()
            .resources(RolloutRecord.class)
            .inNamespace(f.ns)
            .withName(RecordStore.name("demo", rev, 1, 0))
            .get();
    cp.admin().resource(full).delete();
    cp.admin()
        .resources(RolloutRecord.class)
        .inNamespace(f.ns)
        .withName(full.getMetadata().getName())
        .waitUntilCondition(Objects::isNull, TestTime.seconds(30), TimeUnit.SECONDS);
    RolloutRecord shorter = new RolloutRecord();
    shorter.setMetadata(
        new ObjectMetaBuilder()
            .withName(full.getMetadata().getName())
            .withNamespace(f.ns)
            .withLabels(full.getMetadata().getLabels())
            .build());
    RolloutRecordSpec sp = full.getSpec();
    shorter.setSpec(
        new RolloutRecordSpec(
            sp.rollout(),
            sp.rolloutUid(),
            sp.revision(),
            sp.attempt(),
            sp.part(),
            sp.keyId(),
            sp.entriesOrEmpty().subList(0, 3),
            null));
    cp.admin().resource(shorter).create();
    Kubectl.Result bad = kubectl.plugin("evidence", "verify", "--rollout", "demo", "-n", f.ns);
    System.out.println(
        "after a delete and a shorter re-create: exit " + bad.exit() + ": " + bad.out().strip());
    assertEquals(1, bad.exit(), bad.out());
    assertTrue(bad.out().contains("FAILED") && bad.out().contains(rev + "/a1"), bad.out());
  }

  // ---- issue 27 point 1: a deleted record is a visible gap, not a fresh start ----

  @Test
  void aRecordDeletedMidCanaryIsRecordedAsAGapAndVerifyNamesIt() throws Exception {
    ClusterFixture f = pausedAt20("tb-gap");
    Rollout before = f.get();
    String canary = before.getStatus().canaryRevision();
    String head = before.getStatus().evidenceHead();
    long headSeq = EvidenceHead.parse(head).seq();
    // An evidence admin deletes the paused attempt's record.
    for (RolloutRecord rec :
        cp.admin()
            .resources(RolloutRecord.class)
            .inNamespace(f.ns)
            .withLabel(RecordStore.REVISION, canary)
            .list()
            .getItems()) {
      cp.admin().resource(rec).delete();
    }
    cp.admin()
        .resources(RolloutRecord.class)
        .inNamespace(f.ns)
        .withName(RecordStore.name("demo", canary, 1, 0))
        .waitUntilCondition(Objects::isNull, TestTime.seconds(30), TimeUnit.SECONDS);
    f.request("Resume");
    await(
        f,
        "v2 promoted after Resume",
        x -> x.state() == RevisionState.Stable && canary.equals(x.stableRevision()));
    List<RecordEntry> after = RecordStore.reader(cp.admin()).entries(f.ns, "demo", canary, 1);
    RecordEntry gap = after.get(0);
    System.out.println(
        "status head before the delete: "
            + head
            + "; the new record opens with "
            + gap.kind()
            + ": "
            + gap.data());
    assertEquals(
        "RecordMissing", gap.kind(), "the new chain opens with the gap, not a silent restart");
    assertEquals(0, ((Number) gap.data().get("fromSeq")).intValue());
    assertEquals(headSeq, ((Number) gap.data().get("throughSeq")).longValue());
    assertEquals(head, gap.data().get("statusHead"));
    List<Event> ev = events(f, "RecordMissing");
    assertEquals(1, ev.size(), "one Event");
    assertTrue(
        ev.get(0).getMessage().contains("lost entries 0–" + headSeq), ev.get(0).getMessage());
    Kubectl.Result bad = kubectl.plugin("evidence", "verify", "--rollout", "demo", "-n", f.ns);
    System.out.println("verify after the delete: exit " + bad.exit() + ": " + bad.out().strip());
    assertEquals(1, bad.exit(), bad.out());
    assertTrue(
        bad.out().contains("FAILED")
            && bad.out().contains(canary + "/a1")
            && bad.out().contains("lost entries 0–" + headSeq),
        bad.out());
  }

  // ---- issue 27 point 3: approvals that cannot be faked ----

  /** An admin client acting as {@code user} (impersonation), for the requests a person makes. */
  static KubernetesClient as(String user) {
    return new KubernetesClientBuilder()
        .withConfig(
            new ConfigBuilder(cp.admin().getConfiguration()).withImpersonateUsername(user).build())
        .build();
  }

  static void ask(KubernetesClient who, String ns, String action, String requestedBy) {
    who.resources(Rollout.class)
        .inNamespace(ns)
        .withName("demo")
        .subresource("status")
        .patch(
            PatchContext.of(PatchType.JSON_MERGE),
            "{\"status\":{\"request\":{\"action\":\""
                + action
                + "\",\"requestedBy\":\""
                + requestedBy
                + "\"}}}");
  }

  @Test
  void anApprovalIsBoundToTheCallerAndTheAuthorIsTheOneRecordedAtOpen() {
    ClusterFixture f = namespace("tb-approve");
    f.createServicesAndRoute();
    kubectl.run(
        null,
        "-n",
        f.ns,
        "create",
        "rolebinding",
        "release-engineers",
        "--clusterrole=slipway-controller-edit",
        "--user=alice@example.com",
        "--user=bob@example.com");
    Rollout r =
        f.rollout("app:1", CanaryStep.weight(20), CanaryStep.pause(null), CanaryStep.weight(60));
    var c = r.getSpec().strategy().canary();
    var spec = r.getSpec();
    r.setSpec(
        new RolloutSpec(
            spec.replicas(),
            spec.selector(),
            spec.template(),
            null,
            600,
            null,
            new Strategy(
                new CanaryStrategy(
                    c.stableService(),
                    c.canaryService(),
                    c.trafficRouting(),
                    null,
                    null,
                    "0s",
                    true,
                    c.steps()))));
    r.getMetadata()
        .setAnnotations(new HashMap<>(Map.of("slipway.dev/author", "alice@example.com")));
    f.client.resource(r).create();
    await(f, "v1 stable", x -> x.state() == RevisionState.Stable);
    f.client
        .resources(Rollout.class)
        .inNamespace(f.ns)
        .withName("demo")
        .edit(
            x -> {
              x.getSpec().template().getSpec().getContainers().get(0).setImage("app:2");
              return x;
            });
    await(
        f,
        "v2 paused at the gate",
        x -> x.state() == RevisionState.Paused && Integer.valueOf(20).equals(x.verifiedWeight()));

    try (var bob = as("bob@example.com");
        var alice = as("alice@example.com")) {
      // requestedBy is bound to the caller: bob cannot speak for carol.
      KubernetesClientException refused =
          Assertions.assertThrows(
              KubernetesClientException.class,
              () -> ask(bob, f.ns, "Promote", "carol@example.com"));
      System.out.println(
          "bob asking as carol: HTTP "
              + refused.getCode()
              + ": "
              + refused.getStatus().getMessage());
      assertTrue(
          refused
              .getStatus()
              .getMessage()
              .contains(
                  "status.request.requestedBy must be your own user name, bob@example.com,"
                      + " not carol@example.com"),
          refused.getStatus().getMessage());
      assertNull(f.get().getStatus().request(), "nothing was written");
      // Nor may a requester rewrite the controller's memory.
      RevisionState was = f.get().getStatus().state();
      KubernetesClientException forged =
          Assertions.assertThrows(
              KubernetesClientException.class,
              () ->
                  bob.resources(Rollout.class)
                      .inNamespace(f.ns)
                      .withName("demo")
                      .subresource("status")
                      .patch(
                          PatchContext.of(PatchType.JSON_MERGE),
                          "{\"status\":{\"state\":\"Stable\"}}"));
      System.out.println(
          "bob writing status.state: HTTP "
              + forged.getCode()
              + ": "
              + forged.getStatus().getMessage());
      assertTrue(
          forged
              .getStatus()
              .getMessage()
              .contains("only status.request may be written by bob@example.com"),
          forged.getStatus().getMessage());
      assertEquals(was, f.get().getStatus().state());

      // The author rewrites the annotation mid-canary; the author recorded at open still counts.
      f.client
          .resources(Rollout.class)
          .inNamespace(f.ns)
          .withName("demo")
          .edit(
              x -> {
                x.getMetadata().getAnnotations().put("slipway.dev/author", "carol@example.com");
                return x;
              });
      ask(alice, f.ns, "Promote", "alice@example.com");
      RolloutStatus s =
          await(
              f,
              "alice's own promotion refused",
              x -> x.lastAction() != null && x.request() == null);
      System.out.println(
          "alice promoting her change after renaming its author: " + s.lastAction().result());
      assertEquals(
          "refused: requireDistinctApprover: alice@example.com authored this change and cannot approve it",
          s.lastAction().result());
      assertEquals(RevisionState.Paused, s.state());

      ask(bob, f.ns, "Promote", "bob@example.com");
      s =
          await(
              f,
              "bob's promotion carried out",
              x ->
                  x.lastAction() != null
                      && "bob@example.com".equals(x.lastAction().requestedBy())
                      && x.request() == null);
      System.out.println("bob promoting: " + s.lastAction().result());
      assertTrue(s.lastAction().result().startsWith("promoted"), s.lastAction().result());
    }
    RecordEntry approval =
        record(f).stream()
            .filter(
                e ->
                    e.kind().equals("ManualAction")
                        && "bob@example.com".equals(e.data().get("requestedBy")))
            .findFirst()
            .orElseThrow();
    System.out.println("recorded approval: " + approval.data());
    assertEquals(true, approval.data().get("requestedByBound"));
    assertEquals("alice@example.com", approval.data().get("author"));
    await(f, "v2 stable", x -> x.state() == RevisionState.Stable && x.canaryRevision() == null);
    Kubectl.Result soc2 =
        kubectl.plugin("evidence", "export", "demo", "-n", f.ns, "--format", "soc2");
    System.out.println("soc2:\n" + soc2.out());
    assertEquals(0, soc2.exit(), soc2.out());
    assertTrue(
        soc2.out().lines().anyMatch(l -> l.contains(",alice@example.com,bob@example.com,true,")),
        "bound and distinct: " + soc2.out());
  }

  // ---- issue 27 point 8: steps edited mid-canary are recorded ----

  @Test
  void stepsEditedMidCanaryAreRecordedWithWhereTheWalkContinues() {
    ClusterFixture f = pausedAt20("tb-steps");
    f.client
        .resources(Rollout.class)
        .inNamespace(f.ns)
        .withName("demo")
        .edit(
            x -> {
              var spec = x.getSpec();
              var c = spec.strategy().canary();
              x.setSpec(
                  new RolloutSpec(
                      spec.replicas(),
                      spec.selector(),
                      spec.template(),
                      spec.revisionHistoryLimit(),
                      spec.progressDeadlineSeconds(),
                      spec.paused(),
                      new Strategy(
                          new CanaryStrategy(
                              c.stableService(),
                              c.canaryService(),
                              c.trafficRouting(),
                              c.backgroundAnalysis(),
                              c.postPromotion(),
                              c.scaleDownDelay(),
                              c.requireDistinctApprover(),
                              List.of(
                                  CanaryStep.weight(20),
                                  CanaryStep.weight(40),
                                  CanaryStep.pause(null))))));
              return x;
            });
    Instant until = Instant.now().plus(TestTime.of(Duration.ofSeconds(60)));
    RecordEntry changed = null;
    while (changed == null && Instant.now().isBefore(until)) {
      changed =
          record(f).stream().filter(e -> e.kind().equals("StepsChanged")).findFirst().orElse(null);
      if (changed == null) Await.sleep(200);
    }
    assertTrue(
        changed != null,
        "a StepsChanged entry: " + record(f).stream().map(RecordEntry::kind).toList());
    System.out.println("steps edited mid-canary: " + changed.data());
    assertEquals(List.of("setWeight=20", "pause"), changed.data().get("from"));
    assertEquals(List.of("setWeight=20", "setWeight=40", "pause"), changed.data().get("steps"));
    assertTrue(changed.data().get("continuesAt") != null, changed.data().toString());
    List<Event> ev = events(f, "StepsChanged");
    assertEquals(1, ev.size(), "one Event");
    assertTrue(
        ev.get(0).getMessage().contains("the walk continues at step"), ev.get(0).getMessage());
  }

  // ---- issue 27 point 2: no adopting someone else's Deployment ----

  static Deployment teamDeployment(String ns, String name, String adoptBy) {
    var b = new DeploymentBuilder().withNewMetadata().withName(name).withNamespace(ns);
    if (adoptBy != null) b = b.addToAnnotations("slipway.dev/adopt-by", adoptBy);
    return b.endMetadata()
        .withNewSpec()
        .withReplicas(3)
        .withNewSelector()
        .addToMatchLabels("app", "demo")
        .endSelector()
        .withNewTemplate()
        .withNewMetadata()
        .addToLabels("app", "demo")
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("app")
        .withImage("team-b:7")
        .endContainer()
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }

  static Rollout adopting(ClusterFixture f, String name, String deployment) {
    Rollout r = f.rollout("app:1", CanaryStep.weight(20));
    var spec = r.getSpec();
    r.getMetadata().setName(name);
    r.setSpec(
        new RolloutSpec(
            spec.replicas(),
            spec.selector(),
            spec.template(),
            null,
            600,
            null,
            spec.strategy(),
            new WorkloadRef(WorkloadRef.Kind.Deployment, deployment)));
    return r;
  }

  @Test
  void aDeploymentIsAdoptedOnlyWithItsOwnersConsentAndByOneRollout() {
    ClusterFixture f = namespace("tb-adopt");
    f.createServicesAndRoute();
    var dep = cp.admin().resource(teamDeployment(f.ns, "team-b-api", null)).create();
    f.client.resource(adopting(f, "demo", "team-b-api")).create();
    RolloutStatus s = await(f, "refused: no consent", x -> condition(x, "WorkloadRefused") != null);
    System.out.println("a Rollout naming a Deployment that did not consent: " + s.message());
    assertEquals("NotAdoptable", condition(s, "WorkloadRefused").reason());
    assertTrue(
        s.message()
            .contains(
                "has not consented to adoption: whoever owns it annotates it slipway.dev/adopt-by=demo"),
        s.message());
    assertEquals(1, events(f, "WorkloadRefused").size(), "one Event");
    Never.within(
        Duration.ofSeconds(3),
        "the Deployment or anything else touched",
        () -> {
          // Its status is the deployment controller's to update; its spec and metadata are nobody
          // else's.
          var now = cp.admin().apps().deployments().inNamespace(f.ns).withName("team-b-api").get();
          return !now.getMetadata().getGeneration().equals(dep.getMetadata().getGeneration())
              || now.getSpec().getReplicas() != 3
              || now.getMetadata().getAnnotations() != null
                  && now.getMetadata().getAnnotations().keySet().stream()
                      .anyMatch(k -> k.startsWith("slipway.dev/"))
              || !cp.admin()
                  .apps()
                  .replicaSets()
                  .inNamespace(f.ns)
                  .withLabel("slipway.dev/rollout")
                  .list()
                  .getItems()
                  .isEmpty();
        });
    assertEquals(
        3,
        cp.admin()
            .apps()
            .deployments()
            .inNamespace(f.ns)
            .withName("team-b-api")
            .get()
            .getSpec()
            .getReplicas());

    // A younger Rollout naming the same Deployment: the older claim wins, whatever the consent
    // says.
    Rollout younger = adopting(f, "demo-two", "team-b-api");
    var spec = younger.getSpec();
    var c = spec.strategy().canary();
    younger.setSpec(
        new RolloutSpec(
            spec.replicas(),
            spec.selector(),
            spec.template(),
            null,
            600,
            null,
            new Strategy(
                new CanaryStrategy(
                    "demo-two-stable", "demo-two-canary", null, null, null, "0s", List.of())),
            spec.workloadRef()));
    f.client.resource(younger).create();

    // The owner consents to demo: adoption goes ahead; demo-two is refused by the older claim.
    cp.admin()
        .apps()
        .deployments()
        .inNamespace(f.ns)
        .withName("team-b-api")
        .edit(
            d -> {
              d.getMetadata().setAnnotations(new HashMap<>(Map.of("slipway.dev/adopt-by", "demo")));
              return d;
            });
    s =
        await(
            f,
            "adopted with consent",
            x -> x.state() == RevisionState.Stable && condition(x, "WorkloadRefused") == null);
    Instant until = Instant.now().plus(TestTime.of(Duration.ofSeconds(60)));
    Rollout t = null;
    while (Instant.now().isBefore(until)) {
      t = f.client.resources(Rollout.class).inNamespace(f.ns).withName("demo-two").get();
      if (t.getStatus() != null
          && condition(t.getStatus(), "WorkloadRefused") != null
          && condition(t.getStatus(), "WorkloadRefused").message().contains("older claim")) break;
      Await.sleep(200);
    }
    System.out.println(
        "the younger Rollout naming the same Deployment: " + t.getStatus().message());
    assertTrue(
        t.getStatus()
            .message()
            .contains(
                "Deployment tb-adopt/team-b-api is named by Rollout tb-adopt/demo (the older claim)"),
        t.getStatus().message());
  }

  // ---- issue 27 point 5: a deleted Rollout leaves its traffic sane ----

  @Test
  void aRolloutDeletedMidCanaryGivesItsTrafficBackBeforeItGoes() {
    ClusterFixture f = pausedAt20("tb-delete");
    Rollout live = f.get();
    assertTrue(
        live.getMetadata().getFinalizers().contains("slipway.dev/release-traffic"),
        live.getMetadata().getFinalizers().toString());
    String canary = live.getStatus().canaryRevision();
    assertEquals(80, f.weights()[0]);
    f.client.resource(live).delete();
    Instant until = Instant.now().plus(TestTime.of(Duration.ofSeconds(60)));
    while (f.get() != null && Instant.now().isBefore(until)) {
      Await.sleep(100);
    }
    assertNull(f.get(), "the deletion finished");
    int[] w = f.weights();
    var stable =
        f.client.services().inNamespace(f.ns).withName("demo-stable").get().getSpec().getSelector();
    var canarySvc =
        f.client.services().inNamespace(f.ns).withName("demo-canary").get().getSpec().getSelector();
    System.out.println(
        "after deleting the Rollout at 20%: weights stable/canary "
            + w[0]
            + "/"
            + w[1]
            + ", selectors "
            + stable
            + " / "
            + canarySvc);
    assertEquals(100, w[0]);
    assertEquals(0, w[1]);
    assertEquals(
        Map.of("app", "demo"),
        stable,
        "Slipway's key is off: whatever replaces the Rollout gets traffic at once");
    assertEquals(Map.of("app", "demo"), canarySvc);
    List<RecordEntry> rec = RecordStore.reader(cp.admin()).entries(f.ns, "demo", canary, 1);
    List<String> kinds = rec.stream().map(RecordEntry::kind).toList();
    System.out.println(
        "the record ends with " + kinds.subList(Math.max(0, kinds.size() - 3), kinds.size()));
    assertTrue(
        kinds.contains("RolloutDeleted")
            && kinds.indexOf("RolloutDeleted") < kinds.indexOf("TrafficReleased"),
        kinds.toString());
    assertTrue(
        cp.admin().v1().events().inNamespace(f.ns).list().getItems().stream()
            .anyMatch(e -> "TrafficReleased".equals(e.getReason())));
  }

  /**
   * Deleting the whole namespace takes the records too and refuses new ones: the finalizer must not
   * hold it forever.
   */
  @Test
  void aNamespaceDeletedMidCanaryGoesWithItsRollout() {
    ClusterFixture f = pausedAt20("tb-nsdel");
    cp.admin().namespaces().withName(f.ns).delete();
    Instant t0 = Instant.now();
    Instant until = t0.plus(TestTime.of(Duration.ofSeconds(90)));
    while (cp.admin().namespaces().withName(f.ns).get() != null && Instant.now().isBefore(until)) {
      Await.sleep(200);
    }
    System.out.println(
        "namespace deleted mid-canary: gone after "
            + Duration.between(t0, Instant.now()).toMillis()
            + " ms");
    assertNull(
        cp.admin().namespaces().withName(f.ns).get(),
        "the namespace went, its Rollout's finalizer released");
  }
}
