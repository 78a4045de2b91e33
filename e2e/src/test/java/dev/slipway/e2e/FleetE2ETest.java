package dev.slipway.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.slipway.api.v1alpha1.AnalysisStep;
import dev.slipway.api.v1alpha1.CanaryStep;
import dev.slipway.api.v1alpha1.ClusterSelection;
import dev.slipway.api.v1alpha1.MemberStatus;
import dev.slipway.api.v1alpha1.MetricDef;
import dev.slipway.api.v1alpha1.Release;
import dev.slipway.api.v1alpha1.ReleasePhase;
import dev.slipway.api.v1alpha1.ReleaseRevision;
import dev.slipway.api.v1alpha1.ReleaseSpec;
import dev.slipway.api.v1alpha1.ReleaseStatus;
import dev.slipway.api.v1alpha1.RevisionState;
import dev.slipway.api.v1alpha1.Rollout;
import dev.slipway.api.v1alpha1.RolloutSelection;
import dev.slipway.api.v1alpha1.ThresholdSpec;
import dev.slipway.api.v1alpha1.Wave;
import dev.slipway.api.v1alpha1.WaveStatus;
import dev.slipway.api.v1alpha1.WebMetric;
import dev.slipway.controller.core.fleet.ReleaseDecider;
import dev.slipway.controller.reconcile.ClusterFixture;
import dev.slipway.e2e.cluster.ClusterLease;
import dev.slipway.e2e.cluster.SharedClusters;
import dev.slipway.e2e.tools.Await;
import dev.slipway.e2e.tools.Kubectl;
import dev.slipway.e2e.workload.ControllerUnderTest;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * Issue 32: a fleet release over three local control planes, each with its own Slipway. The hub is
 * the API-server-only cluster (a controller with slipway.hub.enabled); the members are the two KWOK
 * clusters, each with its controller under the shipped RBAC, registered on the hub as Secrets whose
 * kubeconfig holds a member ServiceAccount bound to the chart's fleet-member role only. Three
 * waves: member a's Rollout, member b's, then a second Rollout of member a. Each member Rollout
 * waits at its first step (an indefinite pause) until the hub opens its wave, and is judged by a
 * web check served on 127.0.0.1 (member b's verdict is what the bad revision fails).
 */
@ResourceLock(Lanes.KWOK_A)
@ResourceLock(Lanes.KWOK_B)
@ResourceLock(Lanes.API_ONLY)
@Order(14)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FleetE2ETest {
  static final String HUB_NS = "fleet";
  static final String GOOD = "registry.example/shop@sha256:" + "1".repeat(64);
  static final String BAD = "registry.example/shop@sha256:" + "2".repeat(64);

  static KwokStack a;
  static KwokStack b;
  static ClusterLease hub;
  static ControllerUnderTest hubController;
  static HttpServer verdicts;

  /** Member b's verdict; member a's is always a pass. */
  static final AtomicReference<String> verdictB = new AtomicReference<>("1.0");

  static ClusterFixture one;
  static ClusterFixture two;
  static ClusterFixture three;
  static Path hubOnB;

  @BeforeAll
  static void up() throws Exception {
    verdicts = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    verdicts.createContext("/a", x -> answer(x, "1.0"));
    verdicts.createContext("/b", x -> answer(x, verdictB.get()));
    verdicts.start();
    a = new KwokStack(Lanes.KWOK_A);
    b = new KwokStack(Lanes.KWOK_B);
    hub = SharedClusters.apiOnly();
    hub.admin()
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(HUB_NS).endMetadata().build())
        .create();
    // The hub's admin lets the hub read member registrations in this namespace only.
    hub.admin()
        .rbac()
        .roleBindings()
        .inNamespace(HUB_NS)
        .resource(
            new RoleBindingBuilder()
                .withNewMetadata()
                .withName("slipway-hub-members")
                .endMetadata()
                .withNewRoleRef(
                    "rbac.authorization.k8s.io", "ClusterRole", "slipway-controller-hub-members")
                .addNewSubject()
                .withKind("ServiceAccount")
                .withName("slipway-controller")
                .withNamespace("slipway-system")
                .endSubject()
                .build())
        .create();
    register(a, "a", "east");
    hubOnB = register(b, "b", "west");
    one = rolloutIn(a, "fleet-one", "/a");
    two = rolloutIn(b, "fleet-two", "/b");
    three = rolloutIn(a, "fleet-three", "/a");
    hubController = ControllerUnderTest.start(hub, Map.of("slipway.hub.enabled", "true"));
  }

  @AfterAll
  static void down() {
    if (hubController != null) hubController.close();
    if (hub != null) {
      hub.admin().namespaces().withName(HUB_NS).delete();
      hub.close();
    }
    if (a != null) a.close();
    if (b != null) b.close();
    if (verdicts != null) verdicts.stop(0);
  }

  /**
   * What a member's admin does to join the fleet: a ServiceAccount for the hub bound to the
   * fleet-member role, and on the hub a Secret with its kubeconfig and the member's evidence public
   * key (read from the member controller's ConfigMap at registration, then pinned).
   */
  static Path register(KwokStack m, String name, String region) throws Exception {
    var admin = m.cp.admin();
    admin
        .serviceAccounts()
        .inNamespace("slipway-system")
        .resource(
            new ServiceAccountBuilder()
                .withNewMetadata()
                .withName("slipway-hub")
                .endMetadata()
                .build())
        .createOr(x -> x.update());
    admin
        .rbac()
        .clusterRoleBindings()
        .resource(
            new ClusterRoleBindingBuilder()
                .withNewMetadata()
                .withName("slipway-hub")
                .endMetadata()
                .withNewRoleRef(
                    "rbac.authorization.k8s.io", "ClusterRole", "slipway-controller-fleet-member")
                .addNewSubject()
                .withKind("ServiceAccount")
                .withName("slipway-hub")
                .withNamespace("slipway-system")
                .endSubject()
                .build())
        .createOr(x -> x.update());
    String token =
        admin
            .serviceAccounts()
            .inNamespace("slipway-system")
            .withName("slipway-hub")
            .tokenRequest(
                new TokenRequestBuilder()
                    .withNewSpec()
                    .withExpirationSeconds(7200L)
                    .endSpec()
                    .build())
            .getStatus()
            .getToken();
    Path kubeconfig = m.cp.kubeconfigFor("slipway-hub", token);
    ConfigMap key =
        Await.until(
            "member " + name + "'s controller to publish its evidence public key",
            Duration.ofMinutes(1),
            () ->
                admin.configMaps().inAnyNamespace().list().getItems().stream()
                    .filter(c -> c.getMetadata().getName().equals("slipway-evidence-public-key"))
                    .findFirst()
                    .orElse(null));
    hub.admin()
        .secrets()
        .inNamespace(HUB_NS)
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName(name)
                .addToLabels("slipway.dev/member-cluster", "true")
                .addToLabels("region", region)
                .endMetadata()
                .addToStringData("kubeconfig", Files.readString(kubeconfig))
                .addToStringData("publicKey", key.getData().get("public.pem"))
                .build())
        .create();
    return kubeconfig;
  }

  /**
   * A member Rollout as Argo CD would apply it for the fleet: its first step an indefinite pause
   * (the gate the hub opens), then half the traffic and a web check.
   */
  static ClusterFixture rolloutIn(KwokStack m, String ns, String verdictPath) {
    ClusterFixture f = m.namespace(ns);
    f.createServicesAndRoute();
    String url = "http://127.0.0.1:" + verdicts.getAddress().getPort() + verdictPath;
    MetricDef check =
        new MetricDef(
            "smoke",
            null,
            null,
            null,
            null,
            null,
            new ThresholdSpec(0.99, null),
            null,
            "1s",
            2,
            null,
            null,
            null,
            null,
            null,
            null,
            new WebMetric(url, null, null, null, "$.passRate", "5s"));
    f.client
        .resource(
            f.rollout(
                "registry.example/shop:v0",
                CanaryStep.pause(null),
                CanaryStep.weight(50),
                CanaryStep.analysis(new AnalysisStep(null, List.of(check), null, null))))
        .create();
    RolloutAwait.status(
        f, s -> s.state() == RevisionState.Stable, Duration.ofMinutes(2), new ArrayList<>());
    return f;
  }

  static void answer(com.sun.net.httpserver.HttpExchange x, String passRate)
      throws java.io.IOException {
    byte[] body = ("{\"passRate\": " + passRate + "}").getBytes(StandardCharsets.UTF_8);
    x.getResponseHeaders().add("Content-Type", "application/json");
    x.sendResponseHeaders(200, body.length);
    try (OutputStream out = x.getResponseBody()) {
      out.write(body);
    }
  }

  static void release(String name, String image) {
    RolloutSelection shop = new RolloutSelection("fleet-one", List.of("demo"), null);
    Release r = new Release();
    r.getMetadata().setName(name);
    r.getMetadata().setNamespace(HUB_NS);
    r.setSpec(
        new ReleaseSpec(
            new ReleaseRevision(image),
            shop,
            List.of(
                new Wave("first", new ClusterSelection(null, Map.of("region", "east")), null, "2s"),
                new Wave(
                    "second",
                    new ClusterSelection(List.of("b"), null),
                    new RolloutSelection("fleet-two", List.of("demo"), null),
                    "2s"),
                new Wave(
                    "third",
                    new ClusterSelection(List.of("a"), null),
                    new RolloutSelection("fleet-three", List.of("demo"), null),
                    null)),
            null));
    hub.admin().resource(r).create();
  }

  static ReleaseStatus status(String name) {
    Release r = hub.admin().resources(Release.class).inNamespace(HUB_NS).withName(name).get();
    return r == null || r.getStatus() == null ? ReleaseStatus.empty() : r.getStatus();
  }

  static String waves(ReleaseStatus s) {
    List<String> out = new ArrayList<>();
    for (WaveStatus w : s.wavesOrEmpty()) {
      List<String> ms = new ArrayList<>();
      for (MemberStatus m : w.membersOrEmpty())
        ms.add(m.cluster() + ":" + m.namespace() + "=" + m.state());
      out.add(w.name() + " " + w.state() + " " + ms);
    }
    return s.phase() + " " + s.wave() + " " + out + " (" + s.message() + ")";
  }

  static ReleaseStatus await(
      String name, String what, java.util.function.Predicate<ReleaseStatus> done) {
    List<String> seen = new ArrayList<>();
    return Await.until(
        "release " + name + ": " + what,
        Duration.ofMinutes(3),
        () -> {
          ReleaseStatus s = status(name);
          String line = waves(s);
          if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(line)) {
            seen.add(line);
            System.out.println("release " + name + ": " + line);
          }
          return done.test(s) ? s : null;
        });
  }

  static RevisionState state(ClusterFixture f) {
    Rollout r = f.get();
    return r.getStatus() == null ? null : r.getStatus().state();
  }

  static boolean gated(ClusterFixture f) {
    Rollout r = f.get();
    return r.getStatus() != null
        && r.getStatus().state() == RevisionState.Paused
        && Integer.valueOf(0).equals(r.getStatus().currentStepIndex());
  }

  /** Argo CD syncing the new image to every member (the hub never writes a spec). */
  static void sync(String image) {
    for (ClusterFixture f : List.of(one, two, three)) f.setImage(image);
    Await.until(
        "every member Rollout at its gate on " + image,
        Duration.ofMinutes(2),
        () -> gated(one) && gated(two) && gated(three));
  }

  @Test
  @Order(1)
  void theHubsCredentialsOnAMemberReadRolloutsAndRecordsAndPatchTheirStatusOnly() {
    Kubectl asHub = new Kubectl(hubOnB);
    String[][] cases = {
      {"get", "rollouts.slipway.dev", "yes"},
      {"list", "rollouts.slipway.dev", "yes"},
      {"watch", "rollouts.slipway.dev", "yes"},
      {"list", "rolloutrecords.slipway.dev", "yes"},
      {"patch", "rollouts.slipway.dev", "yes", "status"},
      {"update", "rollouts.slipway.dev", "no", "status"},
      {"patch", "rollouts.slipway.dev", "no"},
      {"create", "rollouts.slipway.dev", "no"},
      {"delete", "rollouts.slipway.dev", "no"},
      {"delete", "rolloutrecords.slipway.dev", "no"},
      {"update", "rolloutrecords.slipway.dev", "no"},
      {"get", "secrets", "no"},
      {"list", "pods", "no"},
      {"create", "pods", "no"},
      {"patch", "httproutes.gateway.networking.k8s.io", "no"},
    };
    List<String> wrong = new ArrayList<>();
    for (String[] c : cases) {
      List<String> args = new ArrayList<>(List.of("auth", "can-i", c[0], c[1], "-n", "fleet-two"));
      if (c.length > 3) args.add("--subresource=" + c[3]);
      Kubectl.Result r = asHub.run(null, args.toArray(String[]::new));
      if (!r.out().strip().equals(c[2])) wrong.add(String.join(" ", c) + " -> " + r.out().strip());
    }
    System.out.println(
        "hub on member b, kubectl auth can-i: " + cases.length + " checks, wrong " + wrong);
    assertEquals(List.of(), wrong);
  }

  @Test
  @Order(2)
  void aGoodRevisionWalksWaveByWaveAndHoldsWhileAMemberIsDown() throws Exception {
    sync(GOOD);
    release("good", GOOD);
    ReleaseStatus s = await("good", "wave first open", x -> x.waveIndex() != null);
    // While wave first runs, the later waves' Rollouts stay at their gates.
    await("good", "wave first passed", x -> x.waveIndex() != null && x.waveIndex() >= 1);
    assertTrue(gated(three), "wave third's Rollout left its gate early");
    // Member b's API server stops answering while its wave runs (SIGSTOP for 25 s).
    Thread freeze = new Thread(() -> b.cp.plane().freezeApiServer(Duration.ofSeconds(25)));
    freeze.start();
    try {
      s =
          await(
              "good",
              "a condition naming member b unreachable",
              x ->
                  x.conditionsOrEmpty().stream()
                      .anyMatch(
                          c ->
                              c.type().equals(ReleaseDecider.REACHABLE)
                                  && c.status().equals("False")
                                  && c.message().contains("b (")));
      assertEquals(1, s.waveIndex(), "the wave held: " + waves(s));
      assertTrue(gated(three), "wave third opened while b was unreachable");
    } finally {
      freeze.join();
    }
    s = await("good", "every wave passed", x -> x.phase() == ReleasePhase.Succeeded);
    for (ClusterFixture f : List.of(one, two, three)) {
      assertEquals(RevisionState.Stable, state(f));
    }
    for (WaveStatus w : s.waves()) {
      for (MemberStatus m : w.members()) {
        assertEquals(Boolean.TRUE, m.verified(), w.name() + ": " + m);
        assertNotNull(m.recordHead());
      }
    }
    Kubectl.Result get =
        new Kubectl(hub.adminKubeconfig()).plugin("release", "get", "good", "-n", HUB_NS);
    System.out.println("kubectl slipway release get good:\n" + get.out());
    assertEquals(0, get.exit(), get.out());
    assertTrue(get.out().contains("Phase:   Succeeded  wave 3/3"), get.out());
    assertTrue(get.out().contains("Wave second"), get.out());
    assertTrue(get.out().contains("verified"), get.out());
  }

  @Test
  @Order(3)
  void aBadRevisionRolledBackInWaveTwoHaltsTheReleaseAndWaveThreeNeverLeavesItsGate() {
    verdictB.set("0.5");
    sync(BAD);
    release("bad", BAD);
    // The plugin pauses it: wave first may run, wave second does not open until resumed.
    Kubectl onHub = new Kubectl(hub.adminKubeconfig());
    Kubectl.Result pause = onHub.plugin("release", "pause", "bad", "-n", HUB_NS);
    assertEquals(0, pause.exit(), pause.out());
    await("bad", "paused", x -> x.phase() == ReleasePhase.Paused);
    Await.sleep(10_000);
    ReleaseStatus paused = status("bad");
    assertEquals(ReleasePhase.Paused, paused.phase(), waves(paused));
    assertEquals(WaveStatus.WAITING, paused.waves().get(1).state(), waves(paused));
    assertTrue(gated(two), "wave second's Rollout left its gate while the release was paused");
    Kubectl.Result resume = onHub.plugin("release", "resume", "bad", "-n", HUB_NS);
    assertEquals(0, resume.exit(), resume.out());
    ReleaseStatus s = await("bad", "halted", x -> x.phase() == ReleasePhase.Halted);
    assertEquals("b", s.halt().cluster());
    assertEquals("second", s.halt().wave());
    Rollout rolledBack = two.get();
    assertEquals(RevisionState.RolledBack, rolledBack.getStatus().state());
    assertEquals(rolledBack.getStatus().evidenceHead(), s.halt().recordHead());
    assertEquals(WaveStatus.PASSED, s.waves().get(0).state());
    assertEquals(WaveStatus.WAITING, s.waves().get(2).state());
    // Wave third's Rollout stays at its gate: the hub never resumes it.
    Await.sleep(8_000);
    assertTrue(gated(three), "wave third's Rollout left its gate after the halt");
    assertEquals(ReleasePhase.Halted, status("bad").phase());
    // The hub's own record names the member and its head too.
    var hubRecord =
        hub.admin()
            .resources(dev.slipway.api.v1alpha1.RolloutRecord.class)
            .inNamespace(HUB_NS)
            .withName("release-bad")
            .get();
    var halted =
        hubRecord.getSpec().entriesOrEmpty().stream()
            .filter(e -> e.kind().equals("Halted"))
            .findFirst()
            .orElseThrow();
    @SuppressWarnings("unchecked")
    Map<String, Object> member = (Map<String, Object>) halted.data().get("member");
    assertEquals("b", member.get("cluster"));
    assertEquals(s.halt().recordHead(), member.get("head"));
    System.out.println(
        "release bad: " + waves(status("bad")) + "; halt " + s.halt() + "; hub record " + halted);
  }

  /**
   * Evidence across clusters: the hub's export (its own signed record, which linked each member's
   * record head as its wave passed) verifies together with the members' exports; after member b's
   * record of the good revision is cut short on b (deleted and written again without its last
   * entries, as only a cluster admin can: records are append-only), the hub's verify fails naming
   * it.
   */
  @Test
  @Order(4)
  void theHubsRecordVerifiesWithTheMembersExportsAndACutShortMemberRecordFailsIt()
      throws Exception {
    Path dir = Files.createTempDirectory(hub.dir(), "fleet-evidence");
    Kubectl onHub = new Kubectl(hub.adminKubeconfig());
    Path hubFile = dir.resolve("hub.json");
    Kubectl.Result export =
        onHub.plugin("release", "export", "good", "-n", HUB_NS, "--file", hubFile.toString());
    assertEquals(0, export.exit(), export.out());
    Kubectl.Result key = onHub.plugin("evidence", "public-key");
    assertEquals(0, key.exit(), key.out());
    Path hubKey = dir.resolve("hub.pem");
    Files.writeString(hubKey, key.out());
    List<String> members = new ArrayList<>();
    Map<String, KwokStack> stacks = Map.of("a", a, "b", b);
    ReleaseStatus s = status("good");
    for (WaveStatus w : s.waves()) {
      for (MemberStatus m : w.members()) {
        var head = dev.slipway.controller.evidence.EvidenceHead.parse(m.recordHead());
        Path f = dir.resolve(m.cluster() + "-" + m.namespace() + ".json");
        Kubectl.Result r =
            exportMember(stacks.get(m.cluster()), m.namespace(), m.rollout(), head, f);
        assertEquals(0, r.exit(), r.out());
        members.add("--member");
        members.add(m.cluster() + "=" + f);
      }
    }
    List<String> verify =
        new ArrayList<>(
            List.of("evidence", "verify", hubFile.toString(), "--public-key", hubKey.toString()));
    verify.addAll(members);
    Kubectl.Result ok = onHub.plugin(verify.toArray(String[]::new));
    System.out.println("hub and members verified together: " + ok.out().strip());
    assertEquals(0, ok.exit(), ok.out());
    assertTrue(ok.out().contains("OK: members: 3 member record heads"), ok.out());

    // Member b's record of the good revision, cut short on b after its wave passed.
    MemberStatus bHead = s.waves().get(1).members().get(0);
    var head = dev.slipway.controller.evidence.EvidenceHead.parse(bHead.recordHead());
    var records =
        b.cp
            .admin()
            .resources(dev.slipway.api.v1alpha1.RolloutRecord.class)
            .inNamespace("fleet-two");
    dev.slipway.api.v1alpha1.RolloutRecord rec =
        records.list().getItems().stream()
            .filter(
                x ->
                    x.getSpec().revision().equals(head.revision())
                        && x.getSpec().attempt() == head.attempt())
            .findFirst()
            .orElseThrow();
    var spec = rec.getSpec();
    var cut =
        new dev.slipway.api.v1alpha1.RolloutRecordSpec(
            spec.rollout(),
            spec.rolloutUid(),
            spec.revision(),
            spec.attempt(),
            spec.part(),
            spec.keyId(),
            spec.entriesOrEmpty().subList(0, (int) head.seq()));
    records.withName(rec.getMetadata().getName()).delete();
    Await.until(
        "the record to be gone",
        Duration.ofSeconds(30),
        () -> records.withName(rec.getMetadata().getName()).get() == null);
    dev.slipway.api.v1alpha1.RolloutRecord shorter = new dev.slipway.api.v1alpha1.RolloutRecord();
    shorter.setMetadata(
        new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
            .withName(rec.getMetadata().getName())
            .withNamespace("fleet-two")
            .withLabels(rec.getMetadata().getLabels())
            .build());
    shorter.setSpec(cut);
    records.resource(shorter).create();
    Path bFile = dir.resolve("b-fleet-two.json");
    Kubectl.Result again = exportMember(b, "fleet-two", "demo", head, bFile);
    assertEquals(0, again.exit(), again.out());
    Kubectl.Result failed = onHub.plugin(verify.toArray(String[]::new));
    System.out.println("after member b's record was cut short: " + failed.out().strip());
    assertEquals(1, failed.exit(), failed.out());
    assertTrue(
        failed.out().contains("FAILED: members: b:fleet-two/demo: its record was cut short"),
        failed.out());
  }

  /** A member's JSON export of the attempt whose head the hub linked. */
  static Kubectl.Result exportMember(
      KwokStack m,
      String ns,
      String rollout,
      dev.slipway.controller.evidence.EvidenceHead head,
      Path file) {
    return m.kubectl.plugin(
        "evidence",
        "export",
        rollout,
        "-n",
        ns,
        "--revision",
        head.revision(),
        "--attempt",
        Integer.toString(head.attempt()),
        "--format",
        "json",
        "--file",
        file.toString());
  }
}
