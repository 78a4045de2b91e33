package dev.slipway.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.api.v1alpha1.CanaryStep;
import dev.slipway.api.v1alpha1.ImagePolicy;
import dev.slipway.api.v1alpha1.PauseReason;
import dev.slipway.api.v1alpha1.Phase;
import dev.slipway.api.v1alpha1.RequestAction;
import dev.slipway.api.v1alpha1.RevisionState;
import dev.slipway.api.v1alpha1.RolloutRecord;
import dev.slipway.api.v1alpha1.RolloutSpec;
import dev.slipway.api.v1alpha1.RolloutStatus;
import dev.slipway.controller.reconcile.ClusterFixture;
import dev.slipway.e2e.cluster.Cluster;
import dev.slipway.e2e.cluster.Crds;
import dev.slipway.e2e.cluster.SharedClusters;
import dev.slipway.e2e.gateway.StandInGateway;
import dev.slipway.e2e.tools.Await;
import dev.slipway.e2e.tools.Kubectl;
import dev.slipway.e2e.workload.ControllerUnderTest;
import dev.slipway.e2e.workload.LocalRelease;
import dev.slipway.testing.Never;
import dev.slipway.testing.Proc;
import dev.slipway.testing.TestTime;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * The whole controller (Micronaut + JOSDK informers) on a real control plane with KWOK nodes,
 * running as its own ServiceAccount under the shipped ClusterRole: RBAC is proven sufficient.
 */
@ResourceLock(Lanes.KWOK_B)
@Order(25)
public class ControllerE2ETest {
  static Cluster cp;
  static ControllerUnderTest app;
  static ClusterFixture f;
  static ClusterFixture m;
  static StandInGateway gateway;

  @BeforeAll
  static void up() {
    cp = SharedClusters.withNodes(Lanes.KWOK_B);
    Prerequisites.kwokPods(cp, "its Rollouts use made-up images that only KWOK pods run");
    System.out.println("cluster: " + cp.describe());
    app = ControllerUnderTest.start(cp);
    cp.admin()
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName("e2e").endMetadata().build())
        .create();
    f = new ClusterFixture(cp.admin(), "e2e");
    f.realApiServer = true;
    cp.admin()
        .namespaces()
        .resource(
            new NamespaceBuilder().withNewMetadata().withName("e2e-manual").endMetadata().build())
        .create();
    m = new ClusterFixture(cp.admin(), "e2e-manual");
    m.realApiServer = true;
    gateway = new StandInGateway(cp.admin());
  }

  @AfterAll
  static void down() {
    if (gateway != null) {
      gateway.close();
    }
    if (app != null) {
      app.close();
    }
    if (cp != null) {
      cp.close();
    }
  }

  static RolloutStatus await(Predicate<RolloutStatus> done, Duration timeout, List<String> trace) {
    return RolloutAwait.status(f, done, timeout, trace);
  }

  /**
   * Waits (the timeout scaled by TestTime) until {@code cond} holds, e.g. a watch has seen what a
   * test asserts.
   */
  static void awaitTrue(String what, BooleanSupplier cond, Duration timeout) {
    Await.until(what, timeout).every(Duration.ofMillis(50)).holds(cond);
  }

  /**
   * spec.imagePolicy against images real cosign signed (the release's, in its registry on
   * 127.0.0.1, made by .ci/release.sh): the signed sample-app image deploys and its record holds
   * the signature's digest; the same image with one label changed (unsigned) and a tag-only
   * reference stay Pending with no ReplicaSet and no traffic, the condition naming the image and
   * why.
   */
  @Test
  void onlySignedImagesRunUnderAnImagePolicy() throws Exception {
    LocalRelease.Made rel = LocalRelease.get();
    String ns = "e2e-images";
    ClusterFixture p = routedIn(ns);
    RolloutSpec base =
        ClusterFixture.spec(2, rel.sampleApp(), CanaryStep.weight(50), CanaryStep.pause(null));
    ImagePolicy policy =
        new ImagePolicy(
            List.of(Files.readString(rel.publicKey())),
            List.of(
                ImagePolicy.AttestationType.cyclonedx,
                ImagePolicy.AttestationType.slsaprovenance1));
    p.client.resource(ClusterFixture.withName(base.withImagePolicy(policy), "demo", ns)).create();
    RolloutStatus s =
        RolloutAwait.status(
            p,
            "the signed image Stable",
            st -> st.state() == RevisionState.Stable,
            Duration.ofSeconds(90));
    String stable = s.stableRevision();
    String sigDigest = rel.signatureLayer(rel.sampleApp());
    String records =
        Serialization.asJson(
            p.client.resources(RolloutRecord.class).inNamespace(ns).list().getItems());
    assertTrue(records.contains("imageVerification"), "the record holds the verification");
    assertTrue(records.contains(sigDigest), "the record names the signature " + sigDigest);

    // The same image with one label changed: another digest, which nobody signed.
    String unsigned = rel.variant(rel.sampleApp(), "unsigned=yes", "slipway-sample-app:unsigned");
    for (String image :
        List.of(unsigned, rel.registry() + "/slipway-sample-app:" + rel.version())) {
      p.setImage(image);
      String expected = image.contains("@") ? "has no cosign signature" : "is not pinned by digest";
      RolloutStatus held =
          RolloutAwait.status(
              p,
              "the revision of " + image + " held",
              st ->
                  st.state() == RevisionState.Pending
                      && st.conditionsOrEmpty().stream()
                          .anyMatch(
                              c ->
                                  c.type().equals("ImagesUnverified")
                                      && c.message().contains(image)
                                      && c.message().contains(expected)),
              Duration.ofSeconds(60));
      String why =
          held.conditionsOrEmpty().stream()
              .filter(c -> c.type().equals("ImagesUnverified"))
              .findFirst()
              .orElseThrow()
              .message();
      System.out.println("image policy holds " + image + ": " + why);
      assertTrue(why.contains(image) && why.contains(expected), why);
      assertEquals(
          List.of("demo-" + stable),
          p.client.apps().replicaSets().inNamespace(ns).list().getItems().stream()
              .map(rs -> rs.getMetadata().getName())
              .toList(),
          "no ReplicaSet for an unverified revision");
      assertEquals(0, p.weights()[1], "nothing routes to it");
    }
    // A new build, signed and attested with the release key as a release job would: it canaries.
    String next = rel.variant(rel.sampleApp(), "build=next", "slipway-sample-app:next");
    Path provenance;
    try (var files = Files.list(rel.dir())) {
      provenance =
          files
              .filter(f -> f.getFileName().toString().startsWith("provenance-slipway-sample-app"))
              .findFirst()
              .orElseThrow();
    }
    Path sbom = Crds.repoRoot().resolve("samples/target/slipway-sample-app-image.sbom.json");
    for (List<String> cosign :
        List.of(
            List.of("sign"),
            List.of("attest", "--type", "cyclonedx", "--predicate", sbom.toString()),
            List.of("attest", "--type", "slsaprovenance1", "--predicate", provenance.toString()))) {
      List<String> cmd = new ArrayList<>(List.of(rel.cosign().toString()));
      cmd.addAll(cosign);
      cmd.addAll(
          List.of(
              "--key",
              rel.privateKey().toString(),
              "--tlog-upload=false",
              "--allow-insecure-registry",
              "-y",
              next));
      Proc.of(cmd)
          .env("COSIGN_PASSWORD", LocalRelease.KEY_PASSWORD)
          .timeout(TestTime.of(Duration.ofSeconds(60)))
          .run()
          .orThrow();
    }
    p.setImage(next);
    RolloutStatus canary =
        RolloutAwait.status(
            p,
            "the signed build canarying",
            st ->
                st.state() == RevisionState.Paused
                    && Integer.valueOf(50).equals(st.verifiedWeight()),
            Duration.ofSeconds(90));
    String nextRecords =
        Serialization.asJson(
            p.client.resources(RolloutRecord.class).inNamespace(ns).list().getItems());
    String nextSig = rel.signatureLayer(next);
    assertTrue(
        nextRecords.contains(nextSig),
        "the canary's record names its signature "
            + nextSig
            + " (revision "
            + canary.canaryRevision()
            + ")");
    System.out.printf(
        "image policy: %s verified (signature %s, SBOM and provenance attested) and Stable; unsigned and unpinned images held before any pod ran; the signed build %s canaried to weight 50 (signature %s in its record)%n",
        rel.sampleApp(), sigDigest, next, nextSig);
    p.setImage(rel.sampleApp());
  }

  /** A new pod image, keeping the rest of the spec (the policy with it). */
  /**
   * An image policy the platform sets for a namespace (ConfigMap slipway-image-policies in the
   * controller's namespace, as the chart's imagePolicies renders it) binds a Rollout that has no
   * spec.imagePolicy: an unsigned image stays before the canary with the condition naming the
   * policy; the release's signed image deploys, its record naming the policy.
   */
  @Test
  void aPlatformPolicyForTheNamespaceBindsRolloutsWithoutTheirOwn() throws Exception {
    LocalRelease.Made rel = LocalRelease.get();
    String ns = "e2e-platform";
    ClusterFixture p = routedIn(ns);
    String policies =
        """
        - name: signed-e2e
          namespaces: [%s]
          publicKeys: [%s]
        """
            .formatted(ns, Serialization.asJson(Files.readString(rel.publicKey())));
    var cm =
        new ConfigMapBuilder()
            .withNewMetadata()
            .withName("slipway-image-policies")
            .withNamespace("slipway-system")
            .endMetadata()
            .addToData("policies.yaml", policies)
            .build();
    cp.admin().resource(cm).create();
    // The controller re-reads the policies at most every 10 s (PlatformImagePolicies.REREAD): a
    // revision decided within 10 s of an earlier read (another test's) still sees the old list.
    Await.sleep(11_000);
    try {
      String unsigned =
          rel.variant(rel.sampleApp(), "unsigned=platform", "slipway-sample-app:unsigned-platform");
      p.client
          .resource(
              ClusterFixture.withName(
                  ClusterFixture.spec(2, unsigned, CanaryStep.weight(50), CanaryStep.pause(null)),
                  "demo",
                  ns))
          .create();
      RolloutStatus held =
          RolloutAwait.status(
              p,
              "the unsigned first revision held by the platform's policy",
              st ->
                  st.state() == RevisionState.Pending
                      && st.conditionsOrEmpty().stream()
                          .anyMatch(
                              c ->
                                  c.type().equals("ImagesUnverified")
                                      && c.message().contains("policy signed-e2e")
                                      && c.message().contains("has no cosign signature")),
              Duration.ofSeconds(90));
      System.out.println("platform policy holds " + unsigned + ": " + held.message());
      assertTrue(
          p.client.apps().replicaSets().inNamespace(ns).list().getItems().isEmpty(),
          "no ReplicaSet for an unverified revision");
      p.setImage(rel.sampleApp());
      RolloutAwait.status(
          p,
          "the signed image Stable under the platform's policy",
          st -> st.state() == RevisionState.Stable,
          Duration.ofSeconds(90));
      String records =
          Serialization.asJson(
              p.client.resources(RolloutRecord.class).inNamespace(ns).list().getItems());
      assertTrue(
          records.contains("policy signed-e2e (slipway-image-policies)"),
          "the record names the platform's policy");
      System.out.println(
          "platform policy signed-e2e for namespace "
              + ns
              + ": the release's signed image deployed, its record naming the policy");
    } finally {
      cp.admin().resource(cm).delete();
    }
  }

  /** A new namespace with the fixture's Services and HTTPRoute, on the real API server. */
  static ClusterFixture routedIn(String ns) {
    cp.admin()
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
        .create();
    ClusterFixture p = new ClusterFixture(cp.admin(), ns);
    p.realApiServer = true;
    p.createServicesAndRoute();
    return p;
  }

  /** Issue 30: web checks judge whole canaries (see WebCheckCanary). */
  @Test
  void aWebCheckPromotesAGoodCanaryAndRollsABadOneBack() throws Exception {
    new WebCheckCanary(cp, routedIn("e2e-web")).run();
  }

  /** Issue 29: a DaemonSet on four KWOK nodes, one not Ready (see DaemonSetByNode). */
  @Test
  void aDaemonSetWalksOneNodeThenHalfThenAllAndAnAbortRestoresThatNodeOnly() throws Exception {
    cp.admin()
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName("e2e-ds").endMetadata().build())
        .create();
    ClusterFixture ds = new ClusterFixture(cp.admin(), "e2e-ds");
    ds.realApiServer = true;
    new DaemonSetByNode(cp, ds).run();
  }

  /** A StatefulSet canary its controller made current (see StatefulSetWrittenBack). */
  @Test
  void aStatefulSetCanaryMadeCurrentIsRolledBackByWritingTheStableTemplateBack() throws Exception {
    new StatefulSetWrittenBack(cp, routedIn("e2e-sts")).run();
  }

  @Test
  void controllerWalksACanaryToStableUnderItsOwnRbac() {
    f.createServicesAndRoute();
    String untouched = f.untouchedParts();
    f.client
        .resource(
            f.rollout(
                "demo:1", CanaryStep.weight(20), CanaryStep.weight(50), CanaryStep.weight(80)))
        .create();
    List<String> trace = new ArrayList<>();
    RolloutStatus s =
        await(st -> st.state() == RevisionState.Stable, Duration.ofSeconds(120), trace);
    String v1 = s.stableRevision();
    assertEquals(
        4,
        f.client
            .apps()
            .replicaSets()
            .inNamespace("e2e")
            .withName("demo-" + v1)
            .get()
            .getStatus()
            .getReadyReplicas(),
        "KWOK pods became Ready");

    // A watch sees every weight the route ever carried; polling could miss a short step.
    List<String> weights = Collections.synchronizedList(new ArrayList<>());
    try (var watch = RouteWeights.watch(f.client, "e2e", "demo", weights)) {
      f.newImage("demo:2");
      trace.clear();
      s =
          await(
              st ->
                  st.state() == RevisionState.Stable
                      && !v1.equals(st.stableRevision())
                      && st.canaryRevision() == null,
              Duration.ofSeconds(180),
              trace);
      // The watch reports the route's last write after the status says Stable; wait for it, however
      // slow.
      awaitTrue(
          "the route's last weight in the watch",
          () -> !weights.isEmpty() && weights.get(weights.size() - 1).equals("100/0"),
          Duration.ofSeconds(30));
    }
    assertEquals(List.of("100/0", "80/20", "50/50", "20/80", "100/0"), weights, trace.toString());
    assertEquals(100, f.weights()[0]);
    assertEquals(0, f.weights()[1]);
    assertEquals(untouched, f.untouchedParts());
    assertEquals(f.get().getMetadata().getGeneration(), s.observedGeneration());

    // What slipway-controller owns, as the real apiserver records it: in the HTTPRoute only
    // spec.rules (an atomic list in Gateway API v1.4, so the weights come with their list), and
    // in each Service only spec.selector (an atomic map) and its own label (labels are granular).
    var route = f.client.resources(HTTPRoute.class).inNamespace("e2e").withName("demo").get();
    var ours =
        route.getMetadata().getManagedFields().stream()
            .filter(m -> "slipway-controller".equals(m.getManager()))
            .toList();
    assertEquals(1, ours.size(), route.getMetadata().getManagedFields().toString());
    assertEquals("Apply", ours.get(0).getOperation());
    assertEquals(
        Map.of("f:spec", Map.of("f:rules", Map.of())),
        ours.get(0).getFieldsV1().getAdditionalProperties());
    System.out.println(
        "  HTTPRoute managedFields of slipway-controller: "
            + ours.get(0).getFieldsV1().getAdditionalProperties());
    var svc = f.client.services().inNamespace("e2e").withName("demo-canary").get();
    var svcOurs =
        svc.getMetadata().getManagedFields().stream()
            .filter(m -> "slipway-controller".equals(m.getManager()))
            .toList();
    assertEquals(
        Map.of(
            "f:metadata",
            Map.of("f:labels", Map.of("f:slipway.dev/rollout", Map.of())),
            "f:spec",
            Map.of("f:selector", Map.of())),
        svcOurs.get(0).getFieldsV1().getAdditionalProperties());
    assertEquals("demo", svc.getMetadata().getLabels().get("slipway.dev/rollout"));
  }

  /** The one-liner of docs/kubectl.md for a manual action, run with real kubectl. */
  static void oneLiner(String action) {
    Kubectl.Result r =
        new Kubectl(cp.adminKubeconfig())
            .run(
                null,
                "patch",
                "rollout.slipway.dev",
                "demo",
                "-n",
                "e2e-manual",
                "--subresource=status",
                "--type=merge",
                "-p",
                "{\"status\":{\"request\":{\"action\":\"" + action + "\"}}}");
    assertEquals(0, r.exit(), r.out());
    System.out.println("  kubectl " + action + ": " + r.out().strip());
  }

  static RolloutStatus awaitManual(Predicate<RolloutStatus> done) {
    return RolloutAwait.status(m, done, Duration.ofSeconds(90), new ArrayList<>());
  }

  static void newManualImage(String image) {
    m.newImage(image);
  }

  @Test
  void manualControlsWorkThroughPlainKubectl() {
    m.createServicesAndRoute();
    CanaryStep[] steps = {
      CanaryStep.weight(20), CanaryStep.pause(null), CanaryStep.weight(50), CanaryStep.pause(null)
    };
    m.client.resource(m.rollout("manual:1", steps)).create();
    RolloutStatus s = awaitManual(st -> st.state() == RevisionState.Stable);

    newManualImage("manual:2");
    s = awaitManual(st -> st.state() == RevisionState.Paused && st.currentStepIndex() == 1);
    oneLiner("Resume");
    s = awaitManual(st -> st.state() == RevisionState.Paused && st.currentStepIndex() == 3);
    assertEquals(RequestAction.Resume, s.lastAction().action());
    assertEquals(
        "kubectl-patch", s.lastAction().fieldManager(), "who acted comes from managedFields");
    assertTrue(s.lastAction().requestedAt() != null && s.lastAction().handledAt() != null);
    oneLiner("Promote");
    s = awaitManual(st -> st.state() == RevisionState.Stable && st.canaryRevision() == null);

    newManualImage("manual:3");
    awaitManual(st -> st.state() == RevisionState.Paused && st.currentStepIndex() == 1);
    oneLiner("Pause");
    s =
        awaitManual(
            st -> st.lastAction() != null && st.lastAction().action() == RequestAction.Pause);
    assertTrue(
        s.pauseConditions().stream().anyMatch(p -> p.reason() == PauseReason.Manual), s.toString());
    oneLiner("PromoteFull");
    s = awaitManual(st -> st.state() == RevisionState.Stable && st.canaryRevision() == null);

    newManualImage("manual:4");
    s = awaitManual(st -> st.state() == RevisionState.Paused && st.currentStepIndex() == 1);
    String canary = s.canaryRevision();
    oneLiner("Abort");
    s =
        awaitManual(
            st ->
                st.state() == RevisionState.RolledBack
                    && m.client
                            .apps()
                            .replicaSets()
                            .inNamespace("e2e-manual")
                            .withName("demo-" + canary)
                            .get()
                            .getSpec()
                            .getReplicas()
                        == 0);
    assertEquals(Phase.Degraded, s.phase());
    oneLiner("Retry");
    s =
        awaitManual(
            st ->
                st.state() == RevisionState.Paused
                    && st.currentStepIndex() == 1
                    && canary.equals(st.canaryRevision()));
    List<String> reasons =
        m.client.v1().events().inNamespace("e2e-manual").list().getItems().stream()
            .map(e -> e.getReason())
            .toList();
    for (String r :
        List.of(
            "ManualResume",
            "ManualPromote",
            "ManualPause",
            "ManualPromoteFull",
            "ManualAbort",
            "ManualRetry")) {
      assertTrue(reasons.contains(r), r + " in " + reasons);
    }
  }

  @Test
  void reapplyingAnUnchangedRolloutStartsNoRevision() {
    cp.admin()
        .namespaces()
        .resource(
            new NamespaceBuilder().withNewMetadata().withName("e2e-apply").endMetadata().build())
        .create();
    String file = Crds.repoRoot().resolve("samples/rollouts/demo-local.yaml").toString();
    Kubectl k = new Kubectl(cp.adminKubeconfig());
    assertEquals(0, k.run(null, "apply", "-n", "e2e-apply", "-f", file).exit());
    ClusterFixture a = new ClusterFixture(cp.admin(), "e2e-apply");
    Instant end = Instant.now().plus(TestTime.of(Duration.ofSeconds(60)));
    while (Instant.now().isBefore(end)
        && (a.get().getStatus() == null || a.get().getStatus().state() != RevisionState.Stable)) {
      Await.sleep(100);
    }
    RolloutStatus before = a.get().getStatus();
    assertEquals(RevisionState.Stable, before.state());
    Kubectl.Result again = k.run(null, "apply", "-n", "e2e-apply", "-f", file);
    assertEquals(0, again.exit(), again.out());
    assertTrue(again.out().contains("rollout.slipway.dev/demo unchanged"), again.out());
    Never.changes(
        Duration.ofSeconds(2),
        "an unchanged apply moved the Rollout",
        before.stableRevision() + " " + RevisionState.Stable,
        () -> a.get().getStatus().stableRevision() + " " + a.get().getStatus().state());
    long pending =
        cp.admin().v1().events().inNamespace("e2e-apply").list().getItems().stream()
            .filter(e -> "TransitionPending".equals(e.getReason()))
            .count();
    assertEquals(1, pending, "only the first revision was ever Pending");
  }
}
