package dev.slipway.e2e.bench;

import dev.slipway.api.v1alpha1.CanaryStep;
import dev.slipway.api.v1alpha1.CanaryStrategy;
import dev.slipway.api.v1alpha1.Rollout;
import dev.slipway.api.v1alpha1.RolloutSpec;
import dev.slipway.api.v1alpha1.Strategy;
import dev.slipway.controller.reconcile.ClusterFixture;
import dev.slipway.e2e.cluster.Cluster;
import dev.slipway.e2e.cluster.Clusters;
import dev.slipway.e2e.cluster.Stacks;
import dev.slipway.e2e.tools.Await;
import dev.slipway.e2e.workload.ControllerProcess;
import dev.slipway.testing.TestTime;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Start-up: process start to /health UP, and to the first reconcile of a Rollout that was already
 * there, on an empty cluster; with and without an application class-data archive (AppCDS, made by a
 * training run); then, with N Rollouts in the cluster, the time until a restarted controller has
 * reconciled every one of them once. The controller runs its own runtime classpath in its own JVM.
 *
 * <p>Run: {@code mvn -pl e2e verify -Dtest=StartupBenchmark -Dslipway.bench.rounds=5
 * -Dslipway.bench.rollouts=1000}.
 */
class StartupBenchmark {
  static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofMillis(200)).build();

  @Test
  void startUp() throws Exception {
    int rounds = Integer.getInteger("slipway.bench.rounds", 2);
    int rollouts = Integer.getInteger("slipway.bench.rollouts", 20);
    try (Cluster cp = Clusters.apiOnly()) {
      Stacks.prepare(cp);
      cp.admin()
          .namespaces()
          .resource(
              new NamespaceBuilder()
                  .withNewMetadata()
                  .withName("bench-start")
                  .endMetadata()
                  .build())
          .create();
      ClusterFixture f = new ClusterFixture(cp.admin(), "bench-start");
      f.createServicesAndRoute();
      String cp0 = ControllerProcess.productionClasspath();
      Path jsa = cp.dir().resolve("slipway-app.jsa");

      // A training run writes the archive of the classes a start loads (JDK 17:
      // -XX:ArchiveClassesAtExit).
      ControllerProcess training =
          new ControllerProcess(cp, "startup-training")
              .start(Map.of(), List.of("-XX:ArchiveClassesAtExit=" + jsa), cp0);
      awaitUp(training, Duration.ofSeconds(120));
      f.client.resource(f.rollout("start:1", CanaryStep.weight(20))).create();
      awaitReconciled(f, 1);
      training.terminate();
      training.awaitExit(Duration.ofSeconds(60));

      Samples up = new Samples("start -> /health UP (no archive)");
      Samples first = new Samples("start -> a Rollout reconciled (no archive)");
      Samples upCds = new Samples("start -> /health UP (AppCDS archive)");
      Samples firstCds = new Samples("start -> a Rollout reconciled (AppCDS archive)");
      long generation = 1;
      for (int i = 0; i < rounds; i++) {
        for (boolean cds : new boolean[] {false, true}) {
          generation = bump(f, generation);
          List<String> opts =
              cds && Files.isRegularFile(jsa) ? List.of("-XX:SharedArchiveFile=" + jsa) : List.of();
          long t0 = System.nanoTime();
          ControllerProcess c =
              new ControllerProcess(cp, "startup-" + i + (cds ? "-cds" : ""))
                  .start(Map.of(), opts, cp0);
          double u = awaitUp(c, Duration.ofSeconds(120)) - t0;
          awaitReconciled(f, generation);
          double r = System.nanoTime() - t0;
          (cds ? upCds : up).add(u / 1e6);
          (cds ? firstCds : first).add(r / 1e6);
          c.kill();
        }
      }

      // N Rollouts, then a restart: how long until every one has been reconciled once.
      for (int i = 0; i < rollouts; i++) {
        for (String side : List.of("stable", "canary")) {
          cp.admin()
              .services()
              .inNamespace("bench-start")
              .resource(
                  new ServiceBuilder()
                      .withNewMetadata()
                      .withName("s" + i + "-" + side)
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
        cp.admin()
            .resource(
                withOwnServices(
                    ClusterFixture.withName(
                        ClusterFixture.spec(1, "many:1"), "r" + i, "bench-start"),
                    i))
            .create();
      }
      // First a controller takes them all on (first deploys: ReplicaSets, Services, records,
      // status).
      double firstAll = reconcileAll(cp, "startup-first", jsa, cp0, rollouts + 1);
      // Then the one that counts: a restarted controller, with every Rollout already settled.
      double restartAll = reconcileAll(cp, "startup-restart", jsa, cp0, rollouts + 1);
      System.out.println(
          "\nBENCH start-up (controller in its own JVM, -Xmx256m, serial GC, its runtime classpath; local API server):");
      System.out.println("  " + up + "\n  " + first + "\n  " + upCds + "\n  " + firstCds);
      System.out.printf(
          Locale.ROOT,
          "  archive speed-up (median, to /health UP): %.2fx%n",
          up.median() / upCds.median());
      System.out.printf(
          Locale.ROOT,
          "  %d new Rollouts, start -> each reconciled once (first deploys, AppCDS): %.0f ms%n",
          rollouts + 1,
          firstAll);
      System.out.printf(
          Locale.ROOT,
          "  restart with %d settled Rollouts -> each reconciled once (AppCDS): %.0f ms%n",
          rollouts + 1,
          restartAll);
      Bounds bounds = new Bounds();
      bounds.atMost(
          "start -> /health UP with the class-data archive, median",
          upCds.median(),
          4000,
          "ms",
          true);
      bounds.atMost("start -> /health UP without it, median", up.median(), 8000, "ms", true);
      bounds.atMost(
          "restart -> each of " + (rollouts + 1) + " settled Rollouts reconciled",
          restartAll / 1000,
          8 + 0.01 * (rollouts + 1),
          "s",
          true);
      System.out.println();
      bounds.check();
    }
  }

  /**
   * Starts a controller and times it until it has finished {@code passes} reconciles; then stops
   * it.
   */
  static double reconcileAll(Cluster cp, String name, Path jsa, String classpath, int passes)
      throws Exception {
    long t0 = System.nanoTime();
    ControllerProcess c =
        new ControllerProcess(cp, name)
            .start(Map.of(), List.of("-XX:SharedArchiveFile=" + jsa), classpath);
    awaitUp(c, Duration.ofSeconds(120));
    ControllerProbe probe = new ControllerProbe(c);
    double took = Double.NaN;
    while ((System.nanoTime() - t0) / 1e9 < 900) {
      try {
        if (probe.sum("slipway_reconcile_seconds_count", "") >= passes) {
          took = (System.nanoTime() - t0) / 1e6;
          break;
        }
      } catch (IllegalStateException notYet) {
        // no pass finished yet
      }
      Await.sleep(50);
    }
    c.kill();
    return took;
  }

  /** Each Rollout needs Services of its own: one Rollout per Service pair (exclusive ownership). */
  static Rollout withOwnServices(Rollout r, int i) {
    var s = r.getSpec();
    var c = s.strategy().canary();
    r.setSpec(
        new RolloutSpec(
            s.replicas(),
            s.selector(),
            s.template(),
            s.revisionHistoryLimit(),
            s.progressDeadlineSeconds(),
            s.paused(),
            new Strategy(
                new CanaryStrategy(
                    "s" + i + "-stable",
                    "s" + i + "-canary",
                    null,
                    null,
                    null,
                    null,
                    List.of(CanaryStep.pause("1m"))))));
    return r;
  }

  static long bump(ClusterFixture f, long generation) {
    f.newImage("start:" + (generation + 1));
    return f.get().getMetadata().getGeneration();
  }

  /** The nanoTime when /health first answered UP. */
  static long awaitUp(ControllerProcess c, Duration timeout) {
    long deadline = System.nanoTime() + TestTime.of(timeout).toNanos();
    while (System.nanoTime() < deadline) {
      try {
        HttpResponse<String> r =
            HTTP.send(
                HttpRequest.newBuilder(c.http("/health")).timeout(Duration.ofSeconds(1)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200 && r.body().contains("\"UP\"")) return System.nanoTime();
      } catch (Exception notYet) {
        // not listening yet
      }
      Await.sleep(10);
    }
    throw new AssertionError("controller not UP; see " + c.log());
  }

  static void awaitReconciled(ClusterFixture f, long generation) {
    Await.until(
        "generation " + generation + " reconciled",
        Duration.ofSeconds(120),
        () -> {
          Rollout r = f.get();
          return r.getStatus() != null
              && r.getStatus().observedGeneration() != null
              && r.getStatus().observedGeneration() >= generation;
        });
  }
}
