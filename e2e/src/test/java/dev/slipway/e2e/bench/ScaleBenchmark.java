package dev.slipway.e2e.bench;

import dev.slipway.api.v1alpha1.CanaryStep;
import dev.slipway.api.v1alpha1.CanaryStrategy;
import dev.slipway.api.v1alpha1.RevisionState;
import dev.slipway.api.v1alpha1.Rollout;
import dev.slipway.api.v1alpha1.RolloutSpec;
import dev.slipway.api.v1alpha1.Strategy;
import dev.slipway.controller.reconcile.ClusterFixture;
import dev.slipway.e2e.Prerequisites;
import dev.slipway.e2e.cluster.Cluster;
import dev.slipway.e2e.cluster.Clusters;
import dev.slipway.e2e.cluster.Stacks;
import dev.slipway.e2e.gateway.StandInGateway;
import dev.slipway.e2e.tools.Await;
import dev.slipway.e2e.workload.ControllerProcess;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Many Rollouts on one controller (KWOK pods, one each, 500 Rollouts per namespace, each with
 * Services of its own). At each size: heap after a full GC and RSS; the time a restarted controller
 * takes to reconcile every Rollout once; idle CPU per minute with nothing changing (no resync
 * storms). At the largest: a burst of 100 canaries against that background (canaries/s), during
 * which routed canaries (10; -Dslipway.bench.burstAborts) are aborted (abort to route weight 0,
 * p99).
 *
 * <p>Run: {@code mvn -pl e2e verify -Dtest=ScaleBenchmark -Dslipway.bench.scale=1000,5000,10000
 * -Djunit.jupiter.execution.timeout.default=120m} (creating 10,000 Rollouts alone outlasts the
 * default ten minutes); the default size is 60, as CI runs it. The controller runs its runtime
 * classpath with a heap of {@link #heapMiB} for the largest size (768 MiB up to 6,144 Rollouts).
 */
class ScaleBenchmark {
  static final int PER_NAMESPACE = 500;

  /**
   * The controller's heap for n Rollouts: about two and a half times the live set (51 KiB a Rollout
   * at 10,000), at least 768 MiB. The serial collector's old generation is two thirds of the heap,
   * and a restart promotes what is in flight at each young collection (lists being decoded) besides
   * the caches it builds. GC logs at 10,000 (2026-12-07): in 768 MiB the old generation held 450
   * MiB live in 495 MiB, and after the restart every young collection gave way to a full one, 1 to
   * 3.4 s each, every few seconds; in 1,000 MiB one full collection of 2.4 s fell in the restart,
   * none after it.
   */
  static int heapMiB(int rollouts) {
    return Math.max(768, (int) Math.ceil(rollouts * 0.125));
  }

  @Test
  void manyRollouts() throws Exception {
    List<Integer> sizes =
        Arrays.stream(System.getProperty("slipway.bench.scale", "60").split(","))
            .map(String::strip)
            .map(Integer::parseInt)
            .toList();
    long idleWindow = Long.getLong("slipway.bench.idleSeconds", 60);
    // What the heap holds, by class, after each size's heap figure (-Dslipway.bench.histogram=
    // LINES), for finding what a Rollout costs.
    int histogram = Integer.getInteger("slipway.bench.histogram", 0);
    // One heap for the run, sized for its largest size: a restarted controller goes on to hold the
    // next size's Rollouts.
    int heapMiB = heapMiB(sizes.stream().mapToInt(Integer::intValue).max().orElse(60));
    try (Cluster cp = Clusters.withNodes();
        StandInGateway gateway = new StandInGateway(cp.admin())) {
      Prerequisites.kwokPods(cp, "the benchmark's Rollouts use made-up images");
      Stacks.prepare(cp);
      String classpath = ControllerProcess.productionClasspath();
      List<String> jvm = List.of("-Xmx" + heapMiB + "m");
      // The image starts the controller with a class-data archive (AppCDS); so do restarts here,
      // from one the first controller writes when it stops, having reconciled every Rollout.
      Path jsa = Files.createTempDirectory("slipway-scale-").resolve("slipway-app.jsa");
      List<String> training = new ArrayList<>(jvm);
      training.add("-XX:ArchiveClassesAtExit=" + jsa);
      ControllerProcess controller =
          new ControllerProcess(cp, "scale").start(controllerEnv(), training, classpath);
      ControllerProbe probe = new ControllerProbe(controller);
      CapacityBenchmark.awaitUp(probe);
      List<String> report = new ArrayList<>();
      int created = 0;
      ExecutorService pool = Executors.newFixedThreadPool(8);
      Map<Integer, Double> heapPerRollout = new TreeMap<>();
      Map<Integer, Double> restartPerRollout = new TreeMap<>();
      double abortP99 = Double.NaN;
      try {
        for (int size : sizes) {
          long t0 = System.nanoTime();
          List<Future<?>> work = new ArrayList<>();
          for (int i = created; i < size; i++) {
            int n = i;
            work.add(pool.submit(() -> create(cp.admin(), n)));
          }
          for (Future<?> f : work) f.get();
          created = size;
          double createdSeconds = (System.nanoTime() - t0) / 1e9;
          awaitStable(cp, size);
          double settledSeconds = (System.nanoTime() - t0) / 1e9;
          double heap = probe.heapAfterGcMiB();
          if (histogram > 0) System.out.println(size + " Rollouts:\n" + probe.histogram(histogram));
          double rss = rssMiB(controller.pid());
          double cpu0 = probe.cpuMillis();
          Await.sleep(idleWindow * 1000);
          double idleCpuPerMinute = (probe.cpuMillis() - cpu0) * 60.0 / idleWindow;
          // A restart: how long until every Rollout has been reconciled once, and which API
          // requests it made on the way (the profile of a restart).
          if (Files.isRegularFile(jsa)) {
            controller.kill();
          } else {
            // The first stop writes the archive (a clean exit); the restart is measured from
            // after it either way.
            controller.terminate();
            controller.awaitExit(Duration.ofMinutes(2));
          }
          Map<String, Double> requests0 = ApiRequests.counts(cp.admin());
          long r0 = System.nanoTime();
          java.time.Instant r0Wall = java.time.Instant.now();
          // The initial heap at its maximum, as docs/figures.md advises for many Rollouts: a
          // restart does not grow the heap through full collections.
          List<String> restartJvm =
              new ArrayList<>(List.of("-Xms" + heapMiB + "m", "-Xmx" + heapMiB + "m"));
          if (Files.isRegularFile(jsa)) restartJvm.add("-XX:SharedArchiveFile=" + jsa);
          String jfr = System.getProperty("slipway.bench.jfr", "");
          if (!jfr.isBlank())
            restartJvm.add("-XX:StartFlightRecording=filename=" + jfr + "-" + size + ".jfr");
          controller =
              new ControllerProcess(cp, "scale-" + size)
                  .start(controllerEnv(), restartJvm, classpath);
          probe = new ControllerProbe(controller);
          CapacityBenchmark.awaitUp(probe);
          while (passes(probe) < size) {
            if ((System.nanoTime() - r0) / 1e9 > 1800)
              throw new AssertionError("restart did not reconcile " + size + " Rollouts");
            // Every 250 ms: the endpoint searches every meter (seven per Rollout) each time.
            Await.sleep(250);
          }
          double restartSeconds = (System.nanoTime() - r0) / 1e9;
          String profile =
              ApiRequests.perRollout(requests0, ApiRequests.counts(cp.admin()), size)
                  + "; Events: "
                  + ApiRequests.eventReasons(cp.admin(), r0Wall);
          if (!jfr.isBlank()) probe.dumpFlightRecording(jfr + "-" + size + ".jfr");
          report.add(
              String.format(
                  Locale.ROOT,
                  "  %6d Rollouts: heap after full GC %6.1f MiB (%.0f KiB each), RSS %6.1f MiB; restart -> each reconciled "
                      + "once %6.1f s%s; idle CPU %5.0f ms/min; created in %.0f s, all Stable after %.0f s%n"
                      + "          API requests of the restart, per Rollout: %s",
                  size,
                  heap,
                  heap * 1024 / size,
                  rss,
                  restartSeconds,
                  restartJvm.stream().anyMatch(o -> o.startsWith("-XX:SharedArchiveFile"))
                      ? " (AppCDS, as the image)"
                      : " (no class-data archive)",
                  idleCpuPerMinute,
                  createdSeconds,
                  settledSeconds,
                  profile));
          System.out.println(report.get(report.size() - 1));
          heapPerRollout.put(size, heap * 1024 / size);
          restartPerRollout.put(size, restartSeconds * 1000 / size);
        }
        Samples aborts = new Samples("abort -> route weight 0, during the burst");
        report.add(burst(cp, created, aborts));
        abortP99 = aborts.quantile(0.99);
      } finally {
        pool.shutdownNow();
        controller.close();
        // For reading a run afterwards (its cluster's folder goes with it).
        String keep = System.getProperty("slipway.bench.keepLogs", "");
        if (!keep.isBlank()) {
          Files.createDirectories(Path.of(keep));
          Files.copy(
              controller.log(),
              Path.of(keep, controller.log().getFileName().toString()),
              java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
      }
      System.out.printf(
          "%nBENCH scale (one controller, serial GC, -Xmx%dm, restarts with -Xms%dm; KWOK pods,"
              + " local control plane):%n",
          heapMiB, heapMiB);
      report.forEach(System.out::println);
      // The fixed part of the heap (classes, caches) weighs on a small run: its bound is per
      // Rollout
      // at that size, about three times what a quiet machine shows (docs/figures.md).
      Bounds bounds = new Bounds();
      heapPerRollout.forEach(
          (size, kib) ->
              bounds.atMost(
                  "heap per Rollout at " + size, kib, size < 1000 ? 1024 : 192, "KiB", false));
      // A restart is a JVM start and an informer sync (seconds), then a pass per Rollout, which
      // reads nothing from the API server for a settled one. Generous regression bounds (about
      // three
      // times what this machine gives); issue 31's targets (10 s at 10,000 Rollouts, abort p99
      // 300 ms during the burst) are printed beside them: not met on our 2-core machines yet.
      restartPerRollout.forEach(
          (size, ms) ->
              bounds.atMost(
                  "restart -> each reconciled, " + size + " Rollouts",
                  ms * size / 1000,
                  8 + 0.004 * size,
                  "s",
                  true));
      heapPerRollout.forEach(
          (size, kib) -> {
            if (size >= 10_000)
              bounds.atMost("heap after full GC at " + size, kib * size / 1024, 512, "MiB", false);
          });
      bounds.atMost("abort -> route weight 0 during the burst, p99", abortP99, 1500, "ms", true);
      System.out.printf(
          Locale.ROOT,
          "  targets (issue 31, not asserted): restart at 10,000 within 10 s; abort p99 during the burst"
              + " within 300 ms (here %.0f ms)%n",
          abortP99);
      System.out.println();
      bounds.check();
    }
  }

  /**
   * Up to 100 canaries at once among the others; more, routed (10 by default), are aborted while
   * the burst runs.
   */
  static String burst(Cluster cp, int size, Samples aborts) throws Exception {
    KubernetesClient c = cp.admin();
    List<ClusterFixture> routed = new ArrayList<>();
    for (int i = 0; i < Integer.getInteger("slipway.bench.burstAborts", 10); i++) {
      String ns = "scale-abort-" + i;
      c.namespaces()
          .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
          .create();
      ClusterFixture f = new ClusterFixture(c, ns);
      f.realApiServer = true;
      f.createServicesAndRoute();
      f.client
          .resource(
              ClusterFixture.withName(
                  ClusterFixture.spec(1, "ab:1", CanaryStep.weight(50), CanaryStep.pause(null)),
                  "demo",
                  ns))
          .create();
      routed.add(f);
    }
    for (ClusterFixture f : routed)
      RollbackBenchmark.await(f, s -> s.state() == RevisionState.Stable);
    for (ClusterFixture f : routed) f.newImage("ab:2");
    for (ClusterFixture f : routed)
      RollbackBenchmark.await(
          f,
          s -> s.state() == RevisionState.Paused && Integer.valueOf(50).equals(s.verifiedWeight()));
    int n = Math.min(100, size);
    long t0 = System.nanoTime();
    for (int i = 0; i < n; i++) {
      String ns = namespace(i);
      c.resources(Rollout.class)
          .inNamespace(ns)
          .withName("r" + i)
          .edit(
              r -> {
                r.getSpec().template().getSpec().getContainers().get(0).setImage("scale:2");
                return r;
              });
    }
    for (ClusterFixture f : routed) {
      AtomicLong at = new AtomicLong();
      try (var w =
          f.client
              .resources(HTTPRoute.class)
              .inNamespace(f.ns)
              .withName("demo")
              .watch(RollbackBenchmark.on(r -> RollbackBenchmark.weight(r) == 0, at))) {
        long a0 = System.nanoTime();
        f.request("Abort");
        while (at.get() == 0) {
          if (System.nanoTime() - a0 > 60_000_000_000L)
            throw new AssertionError("abort in " + f.ns + " did not take traffic away");
          Await.sleep(2);
        }
        aborts.add((at.get() - a0) / 1e6);
      }
    }
    int done = 0;
    while (done < n) {
      if ((System.nanoTime() - t0) / 1e9 > 1800)
        throw new AssertionError("burst: only " + done + " of " + n + " canaries done");
      done = 0;
      for (int i = 0; i < n; i++) {
        var s =
            c.resources(Rollout.class)
                .inNamespace(namespace(i))
                .withName("r" + i)
                .get()
                .getStatus();
        if (s != null
            && s.state() == RevisionState.Stable
            && s.canaryRevision() == null
            && s.observedGeneration() != null
            && s.observedGeneration() >= 2) done++;
      }
      Await.sleep(200);
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    return String.format(
        Locale.ROOT,
        "  burst of %d canaries among %d Rollouts: %.1f canaries/s (%.0f s)%n  %s",
        n,
        size,
        n / seconds,
        seconds,
        aborts);
  }

  /** The controller's environment: -Dslipway.bench.controllerEnv=K=V,K=V (e.g. its settings). */
  static Map<String, String> controllerEnv() {
    Map<String, String> env = new TreeMap<>(ControllerProbe.ENV);
    for (String kv : System.getProperty("slipway.bench.controllerEnv", "").split(",")) {
      int eq = kv.indexOf('=');
      if (eq > 0) env.put(kv.substring(0, eq).strip(), kv.substring(eq + 1).strip());
    }
    return env;
  }

  static String namespace(int i) {
    return "scale-" + (i / PER_NAMESPACE);
  }

  /**
   * Rollout r{i} with Services of its own, unrouted: a pause step, so a canary walks without
   * weights.
   */
  static void create(KubernetesClient c, int i) {
    String ns = namespace(i);
    if (i % PER_NAMESPACE == 0 && c.namespaces().withName(ns).get() == null) {
      c.namespaces()
          .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
          .create();
    }
    while (c.namespaces().withName(ns).get() == null) Await.sleep(50);
    String app = "a" + i;
    for (String side : List.of("stable", "canary")) {
      c.services()
          .inNamespace(ns)
          .resource(
              new ServiceBuilder()
                  .withNewMetadata()
                  .withName("r" + i + "-" + side)
                  .endMetadata()
                  .withNewSpec()
                  .addToSelector("app", app)
                  .addNewPort()
                  .withPort(80)
                  .endPort()
                  .endSpec()
                  .build())
          .create();
    }
    RolloutSpec s = ClusterFixture.spec(1, "scale:1");
    s.selector().getMatchLabels().put("app", app);
    s.template().getMetadata().getLabels().put("app", app);
    Rollout r =
        ClusterFixture.withName(
            new RolloutSpec(
                s.replicas(),
                s.selector(),
                s.template(),
                0,
                s.progressDeadlineSeconds(),
                null,
                new Strategy(
                    new CanaryStrategy(
                        "r" + i + "-stable",
                        "r" + i + "-canary",
                        null,
                        null,
                        null,
                        null,
                        List.of(CanaryStep.pause("1s"))))),
            "r" + i,
            ns);
    c.resource(r).create();
  }

  static void awaitStable(Cluster cp, int size) {
    long deadline = System.nanoTime() + Duration.ofMinutes(30).toNanos();
    while (true) {
      long stable =
          cp.admin().resources(Rollout.class).inAnyNamespace().list().getItems().stream()
              .filter(
                  r ->
                      r.getMetadata().getNamespace().startsWith("scale-")
                          && !r.getMetadata().getNamespace().startsWith("scale-abort"))
              .filter(r -> r.getStatus() != null && r.getStatus().state() == RevisionState.Stable)
              .count();
      if (stable >= size) return;
      if (System.nanoTime() > deadline)
        throw new AssertionError("only " + stable + " of " + size + " Stable");
      Await.sleep(2000);
    }
  }

  static double passes(ControllerProbe probe) {
    try {
      return probe.passes();
    } catch (Exception notYet) {
      return 0;
    }
  }

  static double rssMiB(long pid) throws Exception {
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
      if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
    }
    return Double.NaN;
  }
}
