package dev.slipway.e2e.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.api.v1alpha1.AnalysisTemplate;
import dev.slipway.api.v1alpha1.Rollout;
import dev.slipway.api.v1alpha1.StepPlan;
import dev.slipway.controller.reconcile.ClusterFixture;
import dev.slipway.e2e.Lanes;
import dev.slipway.e2e.cluster.Cluster;
import dev.slipway.e2e.cluster.Crds;
import dev.slipway.e2e.cluster.SharedClusters;
import dev.slipway.e2e.tools.Krew;
import dev.slipway.e2e.tools.Kubectl;
import dev.slipway.e2e.tools.TempDirs;
import dev.slipway.e2e.workload.LocalRelease;
import dev.slipway.testing.Proc;
import dev.slipway.testing.TestTime;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * The plugin as users get it: the archive and krew manifest of a release (.ci/release.sh, a
 * launcher and the client's jars), installed by a real krew (built from its Go module) into a fresh
 * KREW_ROOT, found by real kubectl, run from / with nothing but a JRE. Against a real API server:
 * the start-up benchmark against {@code kubectl get}, impersonation with several groups, and
 * jsonpath output.
 */
@ResourceLock(Lanes.API_ONLY)
@Order(4)
class PluginPackageE2ETest {
  static Cluster cp;
  static Path home;
  static Path krewRoot;
  static Path archive;

  @BeforeAll
  static void install() throws Exception {
    home = Files.createTempDirectory("slipway-plugin-home");
    krewRoot = home.resolve("krew");
    Path krew = Krew.dir();
    // The release's own krew manifest and archive, as .ci/release.sh wrote them beside their
    // SHA256SUMS (ReleaseE2ETest checks the sums; krew checks the archive against the manifest).
    LocalRelease.Made release = LocalRelease.get();
    archive = release.dir().resolve("kubectl-slipway-" + release.version() + ".tar.gz");
    Path manifest = release.dir().resolve("slipway.krew.yaml");
    var r =
        run(
            List.of(
                Kubectl.binary(),
                "krew",
                "install",
                "--manifest=" + manifest,
                "--archive=" + archive),
            Map.of(
                "PATH",
                krew + ":" + System.getenv("PATH"),
                "KREW_ROOT",
                krewRoot.toString(),
                "HOME",
                home.toString()),
            120);
    System.out.println(
        "krew install: exit "
            + r.exit()
            + "; "
            + r.out().lines().filter(l -> l.startsWith("Installed")).findFirst().orElse(""));
    assertEquals(0, r.exit(), r.out());
    cp = SharedClusters.apiOnly();
  }

  @AfterAll
  static void down() {
    if (cp != null) cp.close();
    TempDirs.delete(home);
  }

  record Result(int exit, String out, double wallMs, double cpuMs) {}

  /**
   * Runs from / with the installed plugin on PATH, timing wall clock and the process tree's CPU
   * (bash's time).
   */
  static Result kubectl(String... args) throws Exception {
    String line =
        String.join(
            " ", Arrays.stream(args).map(a -> "'" + a.replace("'", "'\\''") + "'").toList());
    var r =
        run(
            List.of(
                "bash",
                "-c",
                "t=$(mktemp); TIMEFORMAT='%3R %3U %3S'; { time "
                    + Kubectl.binary()
                    + " "
                    + line
                    + " 2>&1 ; } 2>$t; rc=$?; "
                    + "echo; echo \"@@TIME $(tail -1 $t)\"; rm -f $t; exit $rc"),
            env(),
            120);
    String out = r.out();
    String time = out.substring(out.lastIndexOf("@@TIME ") + 7).strip();
    String[] t = time.split(" ");
    return new Result(
        r.exit(),
        out.substring(0, out.lastIndexOf("@@TIME ")).stripTrailing(),
        Double.parseDouble(t[0]) * 1000,
        (Double.parseDouble(t[1]) + Double.parseDouble(t[2])) * 1000);
  }

  static Map<String, String> env() {
    return Map.of(
        "PATH",
        krewRoot.resolve("bin") + ":" + System.getenv("PATH"),
        "KUBECONFIG",
        cp.adminKubeconfig().toString(),
        "HOME",
        home.toString(),
        "XDG_CACHE_HOME",
        home.resolve("cache").toString(),
        "KREW_ROOT",
        krewRoot.toString());
  }

  record Raw(int exit, String out) {}

  static Raw run(List<String> cmd, Map<String, String> env, int timeoutSeconds) throws Exception {
    Proc.Result r =
        Proc.of(cmd)
            .dir(Path.of("/"))
            .env(env)
            .timeout(TestTime.of(Duration.ofSeconds(timeoutSeconds)))
            .run();
    if (r.timedOut()) throw new IllegalStateException(r.describe());
    return new Raw(r.exit(), r.out());
  }

  static void rollouts(String ns, int n) {
    cp.admin()
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
        .create();
    for (int i = 0; i < n; i++) {
      cp.admin()
          .resource(ClusterFixture.withName(ClusterFixture.spec(1, "app:1"), "r" + i, ns))
          .create();
    }
  }

  @Test
  void installedByKrewItRunsFromAnyDirectoryWithOnlyAJreAndHoldsNoControllerRuntime()
      throws Exception {
    Result v = kubectl("slipway", "version", "--client");
    assertEquals(0, v.exit(), v.out());
    assertTrue(v.out().startsWith("Client Version: slipway "), v.out());
    List<String> jars;
    try (var files =
        Files.list(
            krewRoot.resolve("store/slipway").toFile().listFiles()[0].toPath().resolve("lib"))) {
      jars = files.map(p -> p.getFileName().toString()).sorted().toList();
    }
    System.out.println(
        "plugin archive: " + Files.size(archive) / 1024 / 1024 + " MiB, " + jars.size() + " jars");
    assertTrue(
        jars.stream()
            .noneMatch(
                j ->
                    j.matches(
                        "(micronaut|netty|operator-framework|micrometer|reactor|resilience4j|bcprov).*")),
        jars.toString());
  }

  @Test
  void listStartsWithinAFewTimesKubectlGet() throws Exception {
    rollouts("bench-a", 10);
    rollouts("bench-b", 10);
    Result first = kubectl("slipway", "list", "-A");
    assertEquals(0, first.exit(), first.out());
    System.out.printf(
        Locale.ROOT, "first run (records the class-data archive): %.0f ms wall%n", first.wallMs());
    kubectl("get", "rollouts.slipway.dev", "-A");
    int n = Integer.getInteger("slipway.bench.pluginRuns", 7);
    List<Double> kWall = new ArrayList<>();
    List<Double> kCpu = new ArrayList<>();
    List<Double> pWall = new ArrayList<>();
    List<Double> pCpu = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Result k = kubectl("get", "rollouts.slipway.dev", "-A");
      Result p = kubectl("slipway", "list", "-A");
      assertEquals(0, k.exit(), k.out());
      assertEquals(0, p.exit(), p.out());
      // The shared API server may hold other classes' Rollouts too: these 20 are this test's.
      assertEquals(20, p.out().lines().filter(l -> l.startsWith("bench-")).count(), p.out());
      kWall.add(k.wallMs());
      kCpu.add(k.cpuMs());
      pWall.add(p.wallMs());
      pCpu.add(p.cpuMs());
    }
    double ratio = median(pWall) / median(kWall);
    System.out.printf(
        Locale.ROOT,
        "%nBENCH plugin start-up (%d runs each, alternating, 20 Rollouts, from /, JRE %s):%n"
            + "  kubectl get rollouts.slipway.dev -A   median %4.0f ms wall, %4.0f ms CPU%n"
            + "  kubectl slipway list -A               median %4.0f ms wall, %4.0f ms CPU%n"
            + "  ratio (wall, plugin / kubectl get): %.1fx (goal: at most 3x)%n%n",
        n,
        System.getProperty("java.version"),
        median(kWall),
        median(kCpu),
        median(pWall),
        median(pCpu),
        ratio);
  }

  @Test
  void impersonationCarriesTheUserAndEveryGroup() throws Exception {
    rollouts("imp-a", 1);
    rollouts("imp-b", 1);
    Kubectl k = new Kubectl(cp.adminKubeconfig());
    for (String[] ns : new String[][] {{"imp-a", "release"}, {"imp-b", "oncall"}}) {
      assertEquals(
          0,
          k.run(
                  null,
                  "create",
                  "role",
                  "read-rollouts",
                  "-n",
                  ns[0],
                  "--verb=get,list",
                  "--resource=rollouts.slipway.dev")
              .exit());
      assertEquals(
          0,
          k.run(
                  null,
                  "create",
                  "rolebinding",
                  "read-rollouts",
                  "-n",
                  ns[0],
                  "--role=read-rollouts",
                  "--group=" + ns[1])
              .exit());
    }
    for (String ns : List.of("imp-a", "imp-b")) {
      Result both =
          kubectl(
              "slipway",
              "--as",
              "alice",
              "--as-group",
              "release",
              "--as-group",
              "oncall",
              "-n",
              ns,
              "list",
              "-o",
              "name");
      assertEquals(0, both.exit(), both.out());
      assertEquals("rollout.slipway.dev/r0", both.out().strip());
    }
    Result one =
        kubectl("slipway", "list", "-n", "imp-b", "--as", "alice", "--as-group", "release");
    System.out.println(
        "--as alice --as-group release in imp-b: exit " + one.exit() + ": " + one.out().strip());
    assertEquals(2, one.exit(), one.out());
    assertEquals(1, one.out().strip().lines().count(), one.out());
    assertTrue(one.out().contains("forbidden") || one.out().contains("Forbidden"), one.out());
    Result jp =
        kubectl("slipway", "list", "-n", "imp-a", "-o", "jsonpath={.items[0].metadata.name}");
    assertEquals("r0", jp.out().strip());
    Rollout r = cp.admin().resources(Rollout.class).inNamespace("imp-a").withName("r0").get();
    assertEquals("r0", r.getMetadata().getName());
  }

  /**
   * Argo Rollouts manifests converted by the installed plugin pass the API server's own checks
   * (schema, CEL) in a server-side dry run: the converter writes what admission takes.
   */
  @Test
  void convertedArgoRolloutsManifestsPassTheServerSideDryRun() throws Exception {
    for (String ns : List.of("argo-move", "shop")) {
      cp.admin()
          .namespaces()
          .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
          .create();
    }
    Path fixtures = Crds.repoRoot().resolve("controller/plugin/src/test/resources/argo");
    List<String> args = new ArrayList<>(List.of("slipway", "convert", "-o"));
    Path converted = home.resolve("converted.yaml");
    args.add(converted.toString());
    try (var files = Files.list(fixtures)) {
      files.sorted().forEach(f -> args.add(f.toString()));
    }
    Result conv = kubectl(args.toArray(String[]::new));
    System.out.println(conv.out().lines().filter(l -> l.contains("document(s)")).toList());
    assertEquals(1, conv.exit(), "the fixtures hold fields Slipway does not have: " + conv.out());
    assertTrue(conv.out().contains("unmapped spec.minReadySeconds"), conv.out());
    Result lint = kubectl("slipway", "lint", "-n", "argo-move", converted.toString());
    System.out.println(lint.out());
    assertEquals(0, lint.exit(), lint.out());
    List<String> verdicts = lint.out().lines().filter(l -> l.contains(": ")).toList();
    assertTrue(verdicts.size() >= 6, lint.out());
    assertTrue(verdicts.stream().allMatch(l -> l.endsWith("ok (server-side dry run)")), lint.out());
  }

  @Test
  void lintAsksTheApiServerWhenOneAnswers() throws Exception {
    cp.admin()
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName("lint").endMetadata().build())
        .create();
    Path samples = Crds.repoRoot().resolve("samples");
    Result good =
        kubectl(
            "slipway",
            "lint",
            "-n",
            "lint",
            samples.resolve("rollouts/demo.yaml").toString(),
            samples.resolve("analysis/traefik.yaml").toString());
    System.out.println(good.out());
    assertEquals(0, good.exit(), good.out());
    assertTrue(
        good.out()
            .lines()
            .filter(l -> !l.isBlank())
            .allMatch(l -> l.endsWith("ok (server-side dry run)")),
        good.out());
    // Neither a builtin nor a query: only the CRD's CEL rule says so, at admission or in a dry run.
    Path broken = home.resolve("broken.yaml");
    Files.writeString(
        broken,
        """
        apiVersion: slipway.dev/v1alpha1
        kind: AnalysisTemplate
        metadata:
          name: broken
        spec:
          prometheus:
            address: http://127.0.0.1:9090
          metrics:
          - name: success-rate
            threshold: {min: 0.99}
        """);
    Result offline = kubectl("slipway", "lint", "--offline", broken.toString());
    assertEquals(0, offline.exit(), "fields alone are fine: " + offline.out());
    Result online = kubectl("slipway", "lint", "-n", "lint", broken.toString());
    System.out.println(online.out());
    assertEquals(1, online.exit(), online.out());
    assertTrue(
        online.out().contains("AnalysisTemplate broken: ") && online.out().contains("builtin"),
        online.out());
    assertTrue(
        cp.admin()
            .resources(AnalysisTemplate.class)
            .inNamespace("lint")
            .list()
            .getItems()
            .isEmpty(),
        "a dry run creates nothing");

    // The same Rollout live in the cluster, whose power plan (as the controller writes it) says a
    // step cannot see its declared effect: lint passes it, with a warning naming the step.
    assertEquals(
        0,
        kubectl("apply", "-n", "lint", "-f", samples.resolve("rollouts/demo.yaml").toString())
            .exit());
    String name = "demo";
    var plan =
        new StepPlan(
            1,
            "regression",
            10,
            0.4,
            0.052,
            null,
            false,
            "step 2 at weight 10%: 0.4 req/s to the canary for 5 min: errors: detects +5.2 pp (asked +0.5 pp; extend the step or raise the weight)");
    cp.admin()
        .resources(Rollout.class)
        .inNamespace("lint")
        .withName(name)
        .subresource("status")
        .patch(
            new PatchContext.Builder().withPatchType(PatchType.JSON_MERGE).build(),
            Serialization.asJson(Map.of("status", Map.of("analysisPlan", List.of(plan)))));
    Result warned =
        kubectl("slipway", "lint", "-n", "lint", samples.resolve("rollouts/demo.yaml").toString());
    System.out.println(warned.out());
    assertEquals(0, warned.exit(), "a warning is not a failure: " + warned.out());
    assertTrue(
        warned
            .out()
            .contains(
                "warning: the live Rollout's regression analysis cannot reach its declared effect: step 2 at weight 10%"),
        warned.out());
  }

  static double median(List<Double> xs) {
    List<Double> s = xs.stream().sorted().toList();
    return s.get(s.size() / 2);
  }
}
