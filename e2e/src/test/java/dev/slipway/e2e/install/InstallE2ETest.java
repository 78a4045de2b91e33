package dev.slipway.e2e.install;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.api.v1alpha1.RequestAction;
import dev.slipway.api.v1alpha1.RevisionState;
import dev.slipway.api.v1alpha1.Rollout;
import dev.slipway.e2e.Lanes;
import dev.slipway.e2e.Prerequisites;
import dev.slipway.e2e.QuietWindow;
import dev.slipway.e2e.cluster.ClusterLease;
import dev.slipway.e2e.cluster.Crds;
import dev.slipway.e2e.cluster.LocalControlPlane;
import dev.slipway.e2e.cluster.RealNode;
import dev.slipway.e2e.cluster.SharedClusters;
import dev.slipway.e2e.gateway.StandInGateway;
import dev.slipway.e2e.images.Images;
import dev.slipway.e2e.tools.Await;
import dev.slipway.e2e.tools.Helm;
import dev.slipway.e2e.tools.Kubectl;
import dev.slipway.e2e.tools.PortForward;
import dev.slipway.e2e.tools.Readme;
import dev.slipway.e2e.workload.HelmInstall;
import dev.slipway.e2e.workload.LocalRelease;
import dev.slipway.e2e.workload.SampleAppManifests;
import dev.slipway.testing.Proc;
import dev.slipway.testing.TestTime;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
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
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * Slipway installed the way users install it, into the local cluster's real node, by the README's
 * own commands ({@link FirstScreen}): .ci/release.sh into a registry on 127.0.0.1 ({@link
 * LocalRelease}), the plugin by krew from the release's manifest, cosign verify, `helm install
 * oci://…`, whose controller image the node's containerd pulls by digest. Then the README's first
 * canary as written. Two controller pods come up Ready through their own probes, one leads, and it
 * drives a canary of the sample app (real containers, pulled from the same registry) to Stable;
 * deleting the leader pod mid-canary hands the step to the standby; `helm upgrade` to a newer chart
 * with a changed CRD updates the CRD while a canary waits, and the canary goes on; the chart's
 * dashboard answers through `kubectl port-forward`, read-only; `kubectl logs` shows the
 * controller's log; the built-in edit role may create Rollouts and request actions, view may not;
 * `helm uninstall` leaves none of the controller's objects but the CRDs (keepCRDs); `kubectl apply
 * -k` installs the same again.
 */
@ResourceLock(Lanes.REAL_NODE)
@Order(2)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class InstallE2ETest {
  static final String SYS = "slipway-system";
  static final String NS = "shop";
  static ClusterLease lease;
  static LocalControlPlane cp;
  static KubernetesClient admin;
  static Kubectl kubectl;
  static Helm helm;
  static StandInGateway gateway;
  static Path values;
  static LocalRelease.Made release;
  static FirstScreen newcomer;

  @BeforeAll
  static void up() throws IOException {
    Prerequisites.realNode();
    lease = SharedClusters.realNode(Lanes.REAL_NODE);
    cp = lease.plane();
    System.out.println("e2e cluster provider: " + cp.describe());
    admin = cp.admin();
    kubectl = new Kubectl(cp.adminKubeconfig());
    helm = new Helm(cp.adminKubeconfig());
    release = LocalRelease.get();
    System.out.printf(
        "installing release %s from the registry %s (made by .ci/release.sh in %d ms): the node pulls its images by digest%n",
        release.version(), release.registry(), release.took().toMillis());
    Crds.installGatewayApi(admin);
    gateway = new StandInGateway(admin);
    values =
        HelmInstall.pullingValues(
            cp,
            """
        leaderElection: {leaseDuration: 6s, renewDeadline: 4s, retryPeriod: 1s}
        resources: {requests: {cpu: 50m, memory: 128Mi}, limits: {memory: 384Mi}}
        dashboard:
          enabled: true
          extraEnv:
          - {name: KUBERNETES_SERVICE_HOST, value: "%s"}
          - {name: KUBERNETES_SERVICE_PORT, value: "%d"}
        """
                .formatted(
                    cp.node().orElseThrow().apiHostForPods(),
                    cp.node().orElseThrow().apiPortForPods()));
  }

  @AfterAll
  static void down() {
    if (gateway != null) gateway.close();
    if (lease != null) lease.close();
  }

  /**
   * The README's install commands, as a newcomer runs them (.ci/release.sh ran as the README says
   * when {@link LocalRelease} made the release): the plugin from the release's krew manifest,
   * cosign verify of the controller image, helm install of the OCI chart.
   */
  @Test
  @Order(1)
  void theReadmesInstallCommandsBringUpTwoReadyReplicasOneLeading() {
    newcomer = new FirstScreen(cp.adminKubeconfig(), release.tools());
    for (String c : Readme.commands(FirstScreen.INSTALL)) {
      assertTrue(
          !c.contains("--version") || c.contains("--version " + release.version()),
          "the README names the version the pom makes (" + release.version() + "): " + c);
    }
    Proc.Result krew =
        newcomer.run(
            Readme.command(FirstScreen.INSTALL, "kubectl krew install"),
            Map.of("target/release", release.dir().toString()),
            "",
            Duration.ofMinutes(2));
    assertTrue(krew.ok(), krew.describe());
    Proc.Result verify =
        newcomer.run(
            Readme.command(FirstScreen.INSTALL, "cosign verify"),
            Map.of("REGISTRY", release.host(), "cosign.pub", release.publicKey().toString()),
            "--allow-insecure-registry",
            Duration.ofMinutes(1));
    assertTrue(verify.ok(), verify.describe());
    assertTrue(
        verify
            .out()
            .contains(release.controller().substring(release.controller().indexOf('@') + 1)),
        verify.out());
    Instant t0 = Instant.now();
    Proc.Result r =
        newcomer.run(
            Readme.command(FirstScreen.INSTALL, "helm install"),
            Map.of("REGISTRY", release.host()),
            "--plain-http -f " + values + " --wait --timeout 4m",
            Duration.ofMinutes(5));
    System.out.println(
        "helm install: after "
            + Duration.between(t0, Instant.now()).toMillis()
            + " ms\n"
            + r.out().strip());
    assertTrue(r.ok(), r.describe() + "\n" + describePods());
    List<Pod> pods = controllerPods();
    assertEquals(2, pods.size(), describePods());
    for (Pod p : pods) {
      assertEquals(RealNode.NAME, p.getSpec().getNodeName());
      assertTrue(
          p.getStatus().getPodIP().startsWith(cp.node().orElseThrow().podAddressPrefix()),
          p.getStatus().getPodIP());
      Instant started =
          Instant.parse(
              p.getStatus().getContainerStatuses().get(0).getState().getRunning().getStartedAt());
      Instant ready =
          Instant.parse(
              p.getStatus().getConditions().stream()
                  .filter(c -> "Ready".equals(c.getType()))
                  .findFirst()
                  .orElseThrow()
                  .getLastTransitionTime());
      System.out.printf(
          "controller pod %s Ready on %s at %s: container start -> Ready %d s (probe granularity 1 s), image %s%n",
          p.getMetadata().getName(),
          p.getSpec().getNodeName(),
          p.getStatus().getPodIP(),
          Duration.between(started, ready).toSeconds(),
          p.getStatus().getContainerStatuses().get(0).getImageID());
    }
    String digest = release.controller().substring(release.controller().indexOf('@') + 1);
    String imageId = pods.get(0).getStatus().getContainerStatuses().get(0).getImageID();
    assertTrue(imageId.endsWith(digest), "the node runs the release's image: " + imageId);
    Proc.Result verified =
        Proc.of(
                release.cosign().toString(),
                "verify",
                "--key",
                release.publicKey().toString(),
                "--insecure-ignore-tlog",
                "--allow-insecure-registry",
                imageId)
            .timeout(TestTime.of(Duration.ofSeconds(60)))
            .run();
    assertTrue(verified.ok(), verified.describe());
    System.out.printf(
        "installed from the registry: chart %s version %s; image %s pulled by the node by digest; cosign verify: signature verified with the release key%n",
        release.chart(), release.version(), imageId);
    String leader = await("a leader", Duration.ofSeconds(60), InstallE2ETest::leader);
    System.out.println("leader: " + leader);
    assertTrue(pods.stream().anyMatch(p -> leader.startsWith(p.getMetadata().getName())), leader);
  }

  /**
   * The README's first canary, as written, in the namespace a fresh kubeconfig points at: the demo
   * Rollout comes up Stable, `set image` starts a canary that pauses at 20%, `get rollout --watch`
   * shows it, `promote --full` finishes it. The node holds the sample app under the demo's image
   * names (registry.example.com/demo-app), so nothing is pulled from anywhere.
   */
  @Test
  @Order(2)
  void theReadmesFirstCanaryRunsAsWritten() {
    RealNode node = cp.node().orElseThrow();
    node.importImage(Images.sampleAppTar());
    for (String tag : List.of("1.0.0", "1.1.0")) {
      String name = "registry.example.com/demo-app:" + tag;
      assertTrue(node.tagImage(Images.SAMPLE_APP, name).contains(name), "the node holds " + name);
    }
    List<String> commands = Readme.commands(FirstScreen.FIRST_CANARY);
    assertEquals(4, commands.size(), "the README's first canary: " + commands);
    Proc.Result applied = newcomer.run(commands.get(0));
    assertTrue(applied.ok(), applied.describe());
    String first =
        await(
            "the demo's first revision Stable",
            Duration.ofMinutes(3),
            () -> {
              Rollout r = demo();
              return r != null
                      && r.getStatus() != null
                      && r.getStatus().state() == RevisionState.Stable
                  ? r.getStatus().stableRevision()
                  : null;
            });
    Proc.Result set = newcomer.run(commands.get(1));
    assertTrue(set.ok(), set.describe());
    await(
        "the demo's canary paused at 20%",
        Duration.ofMinutes(3),
        () -> {
          Rollout r = demo();
          return r.getStatus().state() == RevisionState.Paused
                  && Integer.valueOf(20).equals(r.getStatus().verifiedWeight())
              ? "ok"
              : null;
        });
    // --watch runs until Ctrl-C: what it printed in its first seconds is what a newcomer sees.
    Proc.Result watched = newcomer.run(commands.get(2), Map.of(), "", Duration.ofSeconds(8));
    System.out.println(watched.out().strip().indent(2).stripTrailing());
    assertTrue(watched.timedOut(), "--watch keeps watching: " + watched.describe());
    assertTrue(watched.out().contains("demo") && watched.out().contains("Paused"), watched.out());
    Proc.Result promoted = newcomer.run(commands.get(3));
    assertTrue(promoted.ok(), promoted.describe());
    Rollout done =
        await(
            "the demo promoted fully",
            Duration.ofMinutes(3),
            () -> {
              Rollout r = demo();
              return r.getStatus().state() == RevisionState.Stable
                      && !first.equals(r.getStatus().stableRevision())
                  ? r
                  : null;
            });
    System.out.printf(
        "README first canary: revision %s -> %s Stable after promote --full (%s)%n",
        first, done.getStatus().stableRevision(), done.getStatus().lastAction().action());
    kubectl.run(
        null,
        "delete",
        "-f",
        Crds.repoRoot().resolve("samples/rollouts/demo.yaml").toString(),
        "-n",
        "default",
        "--wait=true");
  }

  static Rollout demo() {
    return admin.resources(Rollout.class).inNamespace("default").withName("demo").get();
  }

  @Test
  @Order(3)
  void theLeaderDrivesARealCanaryAndAStandbyTakesOverAtTheSameStep() throws Exception {
    kubectl.run(null, "create", "namespace", NS);
    Kubectl.Result applied = kubectl.run(app("v1"), "apply", "-n", NS, "-f", "-");
    assertEquals(0, applied.exit(), applied.out());
    await(
        "first revision Stable",
        Duration.ofMinutes(3),
        () -> state().equals("Stable") ? "ok" : null);

    assertEquals(0, kubectl.run(app("v2"), "apply", "-n", NS, "-f", "-").exit());
    awaitPausedAt30();
    List<Pod> appPods = admin.pods().inNamespace(NS).list().getItems();
    for (Pod p : appPods) {
      System.out.printf(
          "app pod %s %s on %s at %s, container %s%n",
          p.getMetadata().getName(),
          p.getMetadata().getLabels().get("slipway.dev/pod-template-hash"),
          p.getSpec().getNodeName(),
          p.getStatus().getPodIP(),
          p.getStatus().getContainerStatuses().get(0).getContainerID());
      assertEquals(RealNode.NAME, p.getSpec().getNodeName());
      assertTrue(
          p.getStatus().getContainerStatuses().get(0).getContainerID().startsWith("containerd://"));
    }

    String before = leader();
    String leaderPod =
        controllerPods().stream()
            .map(p -> p.getMetadata().getName())
            .filter(before::startsWith)
            .findFirst()
            .orElseThrow();
    Instant killed = Instant.now();
    admin.pods().inNamespace(SYS).withName(leaderPod).delete();
    String after =
        await(
            "another leader",
            Duration.ofSeconds(60),
            () -> {
              String l = leader();
              return l != null && !l.startsWith(leaderPod) ? l : null;
            });
    System.out.printf(
        "leader pod %s deleted; %s leads %d ms later%n",
        leaderPod, after, Duration.between(killed, Instant.now()).toMillis());
    Rollout r = rollout();
    assertEquals(
        RevisionState.Paused,
        r.getStatus().state(),
        "the new leader holds the canary where it was");
    assertEquals(Integer.valueOf(1), r.getStatus().currentStepIndex());
    assertEquals(Integer.valueOf(30), r.getStatus().verifiedWeight());

    request("Resume");
    await(
        "the canary promoted to Stable by the new leader",
        Duration.ofMinutes(3),
        () -> state().equals("Stable") ? "ok" : null);
    r = rollout();
    System.out.printf(
        "canary finished under the new leader: state %s, stable %s, last action %s by %s%n",
        r.getStatus().state(),
        r.getStatus().stableRevision(),
        r.getStatus().lastAction().action(),
        r.getStatus().lastAction().fieldManager());
    assertEquals(RequestAction.Resume, r.getStatus().lastAction().action());
  }

  /**
   * `helm upgrade` to a newer chart whose Rollout CRD changed, while a canary waits at a pause: the
   * CRD is updated (the chart renders its CRDs, so an upgrade reaches them), the controller keeps
   * the canary where it was, and it completes after the upgrade.
   */
  @Test
  @Order(4)
  void helmUpgradeToAChartWithAChangedCrdKeepsTheCanaryGoing() throws Exception {
    assertEquals(0, kubectl.run(app("v2-upgrade"), "apply", "-n", NS, "-f", "-").exit());
    awaitPausedAt30();
    String canary = rollout().getStatus().canaryRevision();
    // A newer chart, as the next release would publish: its Rollout CRD says something new.
    Path work = Files.createTempDirectory(cp.dir(), "chart-upgrade");
    Kubectl.Result pulled =
        helm.run(
            "pull",
            release.chart(),
            "--version",
            release.version(),
            "--plain-http",
            "--untar",
            "-d",
            work.toString());
    assertEquals(0, pulled.exit(), pulled.out());
    Path chart = work.resolve("slipway");
    Path crd = chart.resolve("files/crds/rollouts.slipway.dev.yaml");
    String marker = "Upgraded by a newer chart. ";
    Files.writeString(
        crd,
        Files.readString(crd)
            .replaceFirst(
                "description: \"Pod template, as in a Deployment\\.",
                "description: \"" + marker + "Pod template, as in a Deployment."));
    String newer = release.version() + ".upgrade.1";
    assertEquals(
        0, helm.run("package", chart.toString(), "--version", newer, "-d", work.toString()).exit());
    Kubectl.Result pushed =
        helm.run(
            "push",
            work.resolve("slipway-" + newer + ".tgz").toString(),
            "oci://" + release.registry() + "/charts",
            "--plain-http");
    assertEquals(0, pushed.exit(), pushed.out());
    Instant t0 = Instant.now();
    HelmInstall.helm(cp, "upgrade", release.chart(), values, "--version", newer, "--plain-http");
    long took = Duration.between(t0, Instant.now()).toMillis();
    String description =
        rolloutCrd()
            .getSpec()
            .getVersions()
            .get(0)
            .getSchema()
            .getOpenAPIV3Schema()
            .getProperties()
            .get("spec")
            .getProperties()
            .get("template")
            .getDescription();
    assertTrue(description.startsWith(marker), "helm upgrade updated the CRD: " + description);
    Kubectl.Result list = helm.run("list", "-n", SYS, "-o", "json");
    assertTrue(list.out().contains("\"chart\":\"slipway-" + newer + "\""), list.out());
    Rollout r = rollout();
    assertEquals(RevisionState.Paused, r.getStatus().state(), "the canary waits where it was");
    assertEquals(canary, r.getStatus().canaryRevision());
    assertEquals(Integer.valueOf(30), r.getStatus().verifiedWeight());
    request("Resume");
    await(
        "the canary promoted after the upgrade",
        Duration.ofMinutes(3),
        () -> state().equals("Stable") ? "ok" : null);
    System.out.printf(
        "helm upgrade %s -> %s in %d ms with a changed Rollout CRD: the CRD updated; the canary held at weight 30 through it, then promoted%n",
        release.version(), newer, took);
  }

  /**
   * `kubectl slipway restart`: the current pods are evicted one at a time through the Eviction API,
   * under the chart's RBAC; a PodDisruptionBudget that allows no disruption holds the restart (said
   * in status), and once it goes the pods are replaced without a new revision, the record keeping
   * each step.
   */
  @Test
  @Order(5)
  void restartReplacesThePodsThroughEvictionsWithoutANewRevision() {
    Rollout before = rollout();
    List<String> old = appPods().stream().map(p -> p.getMetadata().getName()).toList();
    assertTrue(!old.isEmpty());
    kubectl.run(
        """
        apiVersion: policy/v1
        kind: PodDisruptionBudget
        metadata: {name: shop-all}
        spec:
          minAvailable: 1
          selector: {matchLabels: {app: shop}}
        """,
        "apply",
        "-n",
        NS,
        "-f",
        "-");
    Kubectl.Result r = kubectl.plugin("restart", "shop", "-n", NS);
    System.out.println("kubectl slipway restart shop: exit " + r.exit() + ": " + r.out().strip());
    assertEquals(0, r.exit(), r.out());
    assertTrue(r.out().contains("restarting the pods created before"), r.out());
    String held =
        await(
            "the PodDisruptionBudget holds the restart",
            Duration.ofSeconds(60),
            () -> {
              String m = rollout().getStatus().message();
              return m != null && m.contains("PodDisruptionBudget") ? m : null;
            });
    System.out.println("while the PDB allows no disruption: " + held);
    assertEquals(
        old,
        appPods().stream().map(p -> p.getMetadata().getName()).toList(),
        "nothing evicted past the PDB");

    kubectl.run(null, "delete", "pdb", "shop-all", "-n", NS);
    Instant t0 = Instant.now();
    Rollout done =
        await(
            "the restart finished",
            Duration.ofMinutes(3),
            () -> {
              Rollout x = rollout();
              return x.getStatus().restartedAt() != null ? x : null;
            });
    List<Pod> now = appPods();
    System.out.printf(
        "restart finished %d ms after the PDB went: pods %s -> %s, restartedAt %s%n",
        Duration.between(t0, Instant.now()).toMillis(),
        old,
        now.stream().map(p -> p.getMetadata().getName()).toList(),
        done.getStatus().restartedAt());
    Instant cutoff = Instant.parse(done.getStatus().restartedAt());
    for (Pod p : now) {
      assertTrue(
          !old.contains(p.getMetadata().getName()), "replaced: " + p.getMetadata().getName());
      assertTrue(
          !Instant.parse(p.getMetadata().getCreationTimestamp()).isBefore(cutoff),
          p.getMetadata().getCreationTimestamp());
    }
    assertEquals(
        before.getStatus().stableRevision(), done.getStatus().stableRevision(), "no new revision");
    assertEquals(RevisionState.Stable, done.getStatus().state());
    assertEquals(RequestAction.Restart, done.getStatus().lastAction().action());
    String kinds =
        kubectl
            .run(
                null,
                "get",
                "rolloutrecords",
                "-n",
                NS,
                "-o",
                "jsonpath={.items[*].spec.entries[*].kind}")
            .out();
    assertTrue(kinds.contains("PodEviction") && kinds.contains("RestartFinished"), kinds);
  }

  static List<Pod> appPods() {
    return admin
        .pods()
        .inNamespace(NS)
        .withLabel("slipway.dev/rollout", "shop")
        .list()
        .getItems()
        .stream()
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
        .sorted(Comparator.comparing(p -> p.getMetadata().getName()))
        .toList();
  }

  /**
   * The chart's dashboard (dashboard.enabled), reached as its values say, through `kubectl
   * port-forward`: it lists the Rollouts and shows the evidence; it refuses writes and a foreign
   * Origin; its ServiceAccount may read Rollouts and never change one.
   */
  @Test
  @Order(6)
  void theDashboardInTheClusterShowsRolloutsAndChangesNothing() throws Exception {
    try (PortForward pf =
        PortForward.open(cp.adminKubeconfig(), SYS, "svc/slipway-dashboard", 3100)) {
      HttpClient http = HttpClient.newHttpClient();
      String base = "http://127.0.0.1:" + pf.port();
      HttpResponse<String> rollouts = get(http, base + "/api/rollouts", null);
      assertEquals(200, rollouts.statusCode(), rollouts.body());
      assertTrue(rollouts.body().contains("\"name\":\"shop\""), rollouts.body());
      HttpResponse<String> evidence =
          get(http, base + "/api/evidence?namespace=" + NS + "&name=shop", null);
      assertEquals(200, evidence.statusCode(), evidence.body());
      assertTrue(evidence.body().contains("\"entries\":[{"), evidence.body());
      HttpResponse<String> post =
          http.send(
              HttpRequest.newBuilder(URI.create(base + "/api/rollouts"))
                  .POST(HttpRequest.BodyPublishers.noBody())
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(405, post.statusCode(), post.body());
      HttpResponse<String> foreign = get(http, base + "/api/rollouts", "http://evil.example.com");
      assertEquals(403, foreign.statusCode(), foreign.body());
      String sa = "--as=system:serviceaccount:" + SYS + ":slipway-dashboard";
      assertEquals(
          "yes",
          kubectl
              .run(null, "auth", "can-i", "list", "rollouts.slipway.dev", "-A", sa)
              .out()
              .strip());
      assertEquals(
          "no",
          kubectl
              .run(null, "auth", "can-i", "patch", "rollouts.slipway.dev/status", "-A", sa)
              .out()
              .strip());
      assertEquals(
          "no", kubectl.run(null, "auth", "can-i", "get", "secrets", "-n", SYS, sa).out().strip());
      System.out.printf(
          "dashboard in the cluster through kubectl port-forward 127.0.0.1:%d: /api/rollouts %d (%d bytes), evidence %d, POST %d, foreign Origin %d; its ServiceAccount may list Rollouts, not patch them or read Secrets%n",
          pf.port(),
          rollouts.statusCode(),
          rollouts.body().length(),
          evidence.statusCode(),
          post.statusCode(),
          foreign.statusCode());
    }
  }

  static HttpResponse<String> get(HttpClient http, String url, String origin) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
    if (origin != null) b.header("Origin", origin);
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  @Order(7)
  void kubectlLogsShowsTheControllersLog() {
    String pod = controllerPods().get(0).getMetadata().getName();
    Kubectl.Result logs = kubectl.run(null, "logs", "-n", SYS, pod, "--tail=200");
    assertEquals(0, logs.exit(), logs.out());
    List<String> json = logs.out().lines().filter(l -> l.startsWith("{")).toList();
    System.out.println(
        "kubectl logs "
            + pod
            + ": "
            + logs.out().lines().count()
            + " lines, e.g. "
            + (json.isEmpty() ? "" : json.get(json.size() - 1)));
    assertTrue(
        !json.isEmpty() && json.stream().allMatch(l -> l.contains("\"level\"")),
        "JSON log lines: " + logs.out());
  }

  @Test
  @Order(8)
  void editMayCreateRolloutsAndRequestActionsViewMayNot() {
    kubectl.run(
        null,
        "create",
        "rolebinding",
        "alice-edit",
        "--clusterrole=edit",
        "--user=alice",
        "-n",
        NS);
    kubectl.run(
        null, "create", "rolebinding", "bob-view", "--clusterrole=view", "--user=bob", "-n", NS);
    // The controller-manager aggregates our ClusterRoles into edit and view in the background.
    await(
        "edit aggregated",
        Duration.ofSeconds(60),
        () -> can("alice", "create", "rollouts.slipway.dev") ? "ok" : null);
    String[][] checks = {
      {"alice", "create", "rollouts.slipway.dev", "yes"},
      {"alice", "patch", "rollouts.slipway.dev", "yes", "status"},
      {"alice", "create", "analysistemplates.slipway.dev", "yes"},
      {"alice", "get", "rolloutrecords.slipway.dev", "yes"},
      {"alice", "delete", "rolloutrecords.slipway.dev", "no"},
      {"bob", "get", "rollouts.slipway.dev", "yes"},
      {"bob", "list", "rolloutrecords.slipway.dev", "yes"},
      {"bob", "create", "rollouts.slipway.dev", "no"},
      {"bob", "patch", "rollouts.slipway.dev", "no", "status"}
    };
    for (String[] c : checks) {
      List<String> args =
          new ArrayList<>(List.of("auth", "can-i", c[1], c[2], "-n", NS, "--as=" + c[0]));
      if (c.length > 4) {
        args.add("--subresource=" + c[4]);
      }
      String answer = kubectl.run(null, args.toArray(String[]::new)).out().strip();
      System.out.println("kubectl " + String.join(" ", args) + ": " + answer);
      assertEquals(c[3], answer, String.join(" ", args));
    }
  }

  /**
   * Issue 27: the API server frozen for two minutes under the chart's probes. The pods may turn
   * unready; none restarts into the outage (liveness asks only whether the process works), the
   * leader that lost its lease exits once the API server answers (one restart, not a loop), and a
   * manual request is carried out soon after the API server is back.
   */
  @Test
  @Order(9)
  void anApiServerOutageMakesTheControllerUnreadyNeverARestartLoop() {
    Map<String, Integer> before = restarts();
    String leaderBefore = leader();
    ActionRecordView last = lastAction();
    Duration outage = Duration.ofMinutes(2);
    System.out.printf(
        "freezing the API server for %d s; leader %s, restarts %s%n",
        outage.toSeconds(), leaderBefore, before);
    QuietWindow.begins("in the API-server outage");
    cp.freezeApiServer(outage);
    Instant back = Instant.now();
    String leaderAfter =
        await(
            "a leader after the outage",
            Duration.ofMinutes(2),
            () -> {
              Lease l = admin.leases().inNamespace(SYS).withName("slipway-controller").get();
              return l != null
                      && l.getSpec().getRenewTime() != null
                      && l.getSpec().getRenewTime().toInstant().isAfter(back)
                      && l.getSpec().getHolderIdentity() != null
                      && !l.getSpec().getHolderIdentity().isEmpty()
                  ? l.getSpec().getHolderIdentity()
                  : null;
            });
    Duration toLeader = Duration.between(back, Instant.now());
    kubectl.request(NS, "shop", "Retry");
    // Retry changes nothing here (nothing was rolled back): only that it is answered counts.
    Instant asked = Instant.now();
    await(
        "a request answered after the outage",
        Duration.ofMinutes(2),
        () -> {
          ActionRecordView now = lastAction();
          return now != null && !now.equals(last) && rollout().getStatus().request() == null
              ? now
              : null;
        });
    Duration toHandled = Duration.between(asked, Instant.now());
    await(
        "both controller pods Ready again",
        Duration.ofMinutes(3),
        () ->
            controllerPods().size() == 2
                    && controllerPods().stream()
                        .allMatch(
                            p ->
                                p.getStatus().getConditions().stream()
                                    .anyMatch(
                                        c ->
                                            "Ready".equals(c.getType())
                                                && "True".equals(c.getStatus())))
                ? "ok"
                : null);
    Map<String, Integer> after = restarts();
    System.out.printf(
        "after a %d s API server outage: a leader (%s, was %s) %d ms after it answered; a request answered %d ms"
            + " after it was asked (lease duration 6 s); restarts %s -> %s; waiting reasons %s%n",
        outage.toSeconds(),
        leaderAfter,
        leaderBefore,
        toLeader.toMillis(),
        toHandled.toMillis(),
        before,
        after,
        waitingReasons());
    for (Map.Entry<String, Integer> e : after.entrySet()) {
      int was = before.getOrDefault(e.getKey(), 0);
      assertTrue(
          e.getValue() - was <= 1,
          "pod " + e.getKey() + " restarted " + (e.getValue() - was) + " times: a restart loop");
    }
    assertTrue(
        waitingReasons().stream().noneMatch("CrashLoopBackOff"::equals),
        waitingReasons().toString());
    assertTrue(
        toHandled.compareTo(TestTime.of(Duration.ofSeconds(30))) < 0,
        "reconciling resumed after " + toHandled);
  }

  record ActionRecordView(String action, String handledAt) {}

  static ActionRecordView lastAction() {
    Rollout r = rollout();
    var a = r == null || r.getStatus() == null ? null : r.getStatus().lastAction();
    return a == null ? null : new ActionRecordView(String.valueOf(a.action()), a.handledAt());
  }

  static Map<String, Integer> restarts() {
    Map<String, Integer> out = new TreeMap<>();
    for (Pod p : controllerPods()) {
      out.put(
          p.getMetadata().getName(),
          p.getStatus().getContainerStatuses().stream().mapToInt(c -> c.getRestartCount()).sum());
    }
    return out;
  }

  static List<String> waitingReasons() {
    return controllerPods().stream()
        .flatMap(p -> p.getStatus().getContainerStatuses().stream())
        .filter(c -> c.getState() != null && c.getState().getWaiting() != null)
        .map(c -> c.getState().getWaiting().getReason())
        .toList();
  }

  @Test
  @Order(10)
  void helmUninstallLeavesNoControllerObjectsAndApplyKInstallsTheSame() throws IOException {
    Kubectl.Result r = helm.run("uninstall", "slipway", "-n", SYS, "--wait", "--timeout", "2m");
    assertEquals(0, r.exit(), r.out());
    // Terminating pods still count: gone means gone from the API.
    await(
        "controller pods gone",
        Duration.ofSeconds(90),
        () ->
            admin
                    .pods()
                    .inNamespace(SYS)
                    .withLabel("app.kubernetes.io/name", "slipway-controller")
                    .list()
                    .getItems()
                    .isEmpty()
                ? "ok"
                : null);
    String sel = "app.kubernetes.io/instance=slipway";
    Kubectl.Result left =
        kubectl.run(
            null,
            "get",
            "deploy,rs,pods,sa,svc,pdb,role,rolebinding",
            "-n",
            SYS,
            "-l",
            sel,
            "-o",
            "name");
    Kubectl.Result leftCluster =
        kubectl.run(null, "get", "clusterrole,clusterrolebinding", "-l", sel, "-o", "name");
    assertEquals(
        "", left.out().strip() + leftCluster.out().strip(), "objects left by helm uninstall");
    Kubectl.Result kept =
        kubectl.run(null, "get", "secret,configmap,lease", "-n", SYS, "-o", "name");
    System.out.println(
        "after helm uninstall: no controller objects; kept by design in "
            + SYS
            + ": "
            + String.join(", ", kept.out().strip().lines().toList())
            + "; and the CRDs, so Rollouts and evidence survive");
    assertTrue(
        kept.out().contains("secret/slipway-evidence-key"),
        "the signing key stays so existing evidence still verifies");
    assertTrue(
        rolloutCrd() != null,
        "keepCRDs: the CRDs, and with them every Rollout and its evidence, stay through helm uninstall");

    // The same bundle through kustomize, with the same one extra env (no kube-proxy here) and the
    // release's image by digest (kustomize's images:, as a user points it at their registry);
    // kustomize
    // takes a base only by relative path.
    Path overlay = Files.createDirectories(cp.dir().resolve("kustomize-overlay"));
    RealNode node = cp.node().orElseThrow();
    Files.writeString(
        overlay.resolve("kustomization.yaml"),
        """
        resources:
        - %s
        images:
        - {name: ghcr.io/slipway-dev/slipway-controller, newName: %s, digest: %s}
        patches:
        - target: {kind: Deployment, name: slipway-controller}
          patch: |
            - op: add
              path: /spec/template/spec/containers/0/env/-
              value: {name: KUBERNETES_SERVICE_HOST, value: "%s"}
            - op: add
              path: /spec/template/spec/containers/0/env/-
              value: {name: KUBERNETES_SERVICE_PORT, value: "%d"}
        """
            .formatted(
                overlay.relativize(Crds.repoRoot().resolve("samples/install")),
                release.controller().substring(0, release.controller().indexOf('@')),
                release.controller().substring(release.controller().indexOf('@') + 1),
                node.apiHostForPods(),
                node.apiPortForPods()));
    Kubectl.Result k = kubectl.run(null, "apply", "-k", overlay.toString());
    System.out.println("kubectl apply -k samples/install (+ the env overlay):\n" + k.out().strip());
    assertEquals(0, k.exit(), k.out());
    Kubectl.Result rollout =
        kubectl.run(
            null,
            "rollout",
            "status",
            "deployment/slipway-controller",
            "-n",
            SYS,
            "--timeout=180s");
    assertEquals(0, rollout.exit(), rollout.out() + describePods());
    assertEquals(2, controllerPods().size());
    System.out.println(
        "kubectl apply -k: "
            + rollout.out().strip()
            + "; leader "
            + await("a leader", Duration.ofSeconds(60), InstallE2ETest::leader));
    // The Rollout is still reconciled: a new revision goes through under the kustomize install.
    assertEquals(0, kubectl.run(app("v3"), "apply", "-n", NS, "-f", "-").exit());
    await(
        "v3 paused at step 2",
        Duration.ofMinutes(3),
        () -> rollout().getStatus().state() == RevisionState.Paused ? "ok" : null);
    // Rollouts first, while the controller runs: each one's finalizer waits for its traffic to go
    // back
    // to stable (docs/state-machine.md, "A deleted Rollout"); deleting the CRDs with the controller
    // would leave
    // them stuck.
    Kubectl.Result rollouts =
        kubectl.run(
            null,
            "delete",
            "rollouts.slipway.dev",
            "--all",
            "-n",
            NS,
            "--wait=true",
            "--timeout=120s");
    assertEquals(0, rollouts.exit(), rollouts.out());
    // Everything the bundle made goes (its cluster roles too), so the next class may install
    // Slipway its own way.
    Kubectl.Result del =
        kubectl.run(null, "delete", "-k", overlay.toString(), "--wait=true", "--timeout=120s");
    assertEquals(0, del.exit(), del.out());
  }

  static String app(String version) {
    return SampleAppManifests.servicesAndRoute("shop-gateway")
        + """
        apiVersion: slipway.dev/v1alpha1
        kind: Rollout
        metadata: {name: shop}
        spec:
          replicas: 1
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
              steps:
              - setWeight: 30
              - pause: {}
              - setWeight: 70
              - pause: {duration: 2s}
        """
            .formatted(
                SampleAppManifests.podTemplate(
                        release.sampleApp(), "IfNotPresent", version, "0", "0")
                    .indent(2)
                    .stripTrailing());
  }

  static Rollout rollout() {
    return admin.resources(Rollout.class).inNamespace(NS).withName("shop").get();
  }

  static CustomResourceDefinition rolloutCrd() {
    return admin
        .apiextensions()
        .v1()
        .customResourceDefinitions()
        .withName("rollouts.slipway.dev")
        .get();
  }

  /** The app's canary held by its pause at step 2, weight 30 verified. */
  static void awaitPausedAt30() {
    await(
        "the canary paused at step 2 with weight 30",
        Duration.ofMinutes(3),
        () -> {
          Rollout r = rollout();
          return r.getStatus() != null
                  && r.getStatus().state() == RevisionState.Paused
                  && Integer.valueOf(1).equals(r.getStatus().currentStepIndex())
                  && Integer.valueOf(30).equals(r.getStatus().verifiedWeight())
              ? "ok"
              : null;
        });
  }

  /** A manual request, as the documented one-liner writes it. */
  static void request(String action) {
    Kubectl.Result r = kubectl.request(NS, "shop", action);
    assertEquals(0, r.exit(), r.out());
  }

  static String state() {
    Rollout r = rollout();
    return r == null || r.getStatus() == null || r.getStatus().state() == null
        ? ""
        : r.getStatus().state().name();
  }

  static boolean can(String user, String verb, String resource) {
    return kubectl
        .run(null, "auth", "can-i", verb, resource, "-n", NS, "--as=" + user)
        .out()
        .strip()
        .equals("yes");
  }

  static List<Pod> controllerPods() {
    return admin
        .pods()
        .inNamespace(SYS)
        .withLabel("app.kubernetes.io/name", "slipway-controller")
        .list()
        .getItems()
        .stream()
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
        .toList();
  }

  static String leader() {
    Lease l = admin.leases().inNamespace(SYS).withName("slipway-controller").get();
    return l == null
            || l.getSpec() == null
            || l.getSpec().getHolderIdentity() == null
            || l.getSpec().getHolderIdentity().isEmpty()
        ? null
        : l.getSpec().getHolderIdentity();
  }

  static String describePods() {
    return kubectl.run(null, "get", "pods", "-A", "-o", "wide").out()
        + kubectl.run(null, "describe", "pods", "-n", SYS).out();
  }

  static <T> T await(String what, Duration timeout, Supplier<T> probe) {
    return Await.until(what, timeout)
        .every(Duration.ofMillis(250))
        .explaining(InstallE2ETest::describePods)
        .value(probe);
  }
}
