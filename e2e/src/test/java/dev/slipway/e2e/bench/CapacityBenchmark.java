package dev.slipway.e2e.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.slipway.api.v1alpha1.CanaryStep;
import dev.slipway.api.v1alpha1.RevisionState;
import dev.slipway.api.v1alpha1.Rollout;
import dev.slipway.api.v1alpha1.RolloutStatus;
import dev.slipway.controller.evidence.RecordStore;
import dev.slipway.controller.reconcile.ClusterFixture;
import dev.slipway.e2e.cluster.Cluster;
import dev.slipway.e2e.tools.Await;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiPredicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Rollouts per controller: N Rollouts (each in its own namespace with its Services and HTTPRoute)
 * are deployed, then all get a new image at once and walk two weight steps to Stable. Prints the
 * controller's heap per Rollout (after a full GC, against the idle baseline), CPU per canary, the
 * time each canary took under that burst, and the burst's throughput. The controller runs in its
 * own JVM (-Xmx256m, serial GC), as a ServiceAccount, against the local control plane and KWOK
 * pods.
 *
 * <p>Run: {@code mvn -pl e2e verify -Dtest=CapacityBenchmark -Dslipway.bench.rollouts=300
 * -Dslipway.bench.canaryRounds=3} (defaults 40 and 3: the last round is the warm JVM).
 */
class CapacityBenchmark {
  @Test
  void rolloutsPerController() throws Exception {
    int n = Integer.getInteger("slipway.bench.rollouts", 30);
    try (BenchStack stack = new BenchStack("bench-capacity")) {
      Cluster cp = stack.cluster;
      ControllerProbe probe = stack.probe;
      awaitUp(probe);
      double idleHeap = probe.heapAfterGcMiB();
      List<ClusterFixture> fixtures = new ArrayList<>();
      long t0 = System.nanoTime();
      for (int i = 0; i < n; i++) {
        String ns = "bench-" + i;
        cp.admin()
            .namespaces()
            .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
            .create();
        ClusterFixture f = new ClusterFixture(cp.admin(), ns);
        f.realApiServer = true;
        f.createServicesAndRoute();
        f.client
            .resource(
                ClusterFixture.withName(
                    ClusterFixture.spec(2, "cap:1", CanaryStep.weight(20), CanaryStep.weight(60)),
                    "demo",
                    ns))
            .create();
        fixtures.add(f);
      }
      Map<String, Long> firstDeploy =
          awaitAll(cp, n, (ns, s) -> s.state() == RevisionState.Stable, t0);
      double deployedSeconds = (System.nanoTime() - t0) / 1e9;
      double stableHeap = probe.heapAfterGcMiB();
      double cpuBefore = probe.cpuMillis();
      Map<String, Double> writesBefore = ApiWrites.count(cp.admin().raw("/metrics"));

      // Several rounds: the heap after each must level off, not grow with every canary (Argo
      // Rollouts #4571).
      int rounds = Integer.getInteger("slipway.bench.canaryRounds", 2);
      List<Double> heapAfterRound = new ArrayList<>();
      List<Double> cpuPerCanaryByRound = new ArrayList<>();
      Map<String, Long> done = Map.of();
      double burstSeconds = 0;
      for (int round = 2; round <= rounds + 1; round++) {
        Map<String, String> previousStable = new HashMap<>();
        fixtures.forEach(f -> previousStable.put(f.ns, f.get().getStatus().stableRevision()));
        long t1 = System.nanoTime();
        double cpuRound = probe.cpuMillis();
        for (ClusterFixture f : fixtures) {
          f.newImage("cap:" + round);
        }
        done =
            awaitAll(
                cp,
                n,
                (ns, s) ->
                    s.state() == RevisionState.Stable
                        && s.canaryRevision() == null
                        && !previousStable.get(ns).equals(s.stableRevision()),
                t1);
        burstSeconds = (System.nanoTime() - t1) / 1e9;
        cpuPerCanaryByRound.add((probe.cpuMillis() - cpuRound) / n);
        heapAfterRound.add(probe.heapAfterGcMiB());
      }
      double cpuCanaries = (probe.cpuMillis() - cpuBefore) / rounds;
      Map<String, Double> writes =
          ApiWrites.since(writesBefore, ApiWrites.count(cp.admin().raw("/metrics")));

      Samples perCanary = new Samples("new image -> Stable through 20%, 60% (last round)");
      done.values().forEach(ns -> perCanary.add(ns / 1e6));
      Samples perDeploy = new Samples("create -> Stable (first deploy, all at once)");
      firstDeploy.values().forEach(ns -> perDeploy.add(ns / 1e6));
      double passes = probe.sum("slipway_reconcile_seconds_count", "");
      double passSeconds = probe.sum("slipway_reconcile_seconds_sum", "");
      System.out.printf(
          Locale.ROOT,
          "%nBENCH rollouts per controller: %d Rollouts, 2 pods each, controller JVM -Xmx256m serial GC%n",
          n);
      System.out.println("  " + perDeploy + "\n  " + perCanary);
      System.out.printf(
          Locale.ROOT,
          "  throughput: %.1f first deploys/s, %.1f canaries/s (each 2 weight steps, verified by the gateway)%n",
          n / deployedSeconds,
          n / burstSeconds);
      System.out.printf(
          Locale.ROOT,
          "  heap after full GC: idle %.1f MiB, %d stable %.1f MiB (%.0f KiB per stable Rollout), after each canary round %s MiB%n",
          idleHeap,
          n,
          stableHeap,
          (stableHeap - idleHeap) * 1024 / n,
          heapAfterRound.stream().map(h -> String.format(Locale.ROOT, "%.1f", h)).toList());
      System.out.printf(
          Locale.ROOT,
          "  evidence entries cached in memory: %.0f (bound %d)%n",
          probe.sum("slipway_evidence_cached_entries", ""),
          RecordStore.CACHED_ENTRIES);
      System.out.printf(
          Locale.ROOT,
          "  controller CPU: %.0f ms per canary over all rounds; by round %s ms (the last is the warm JVM's)%n",
          cpuCanaries / n,
          cpuPerCanaryByRound.stream().map(c -> String.format(Locale.ROOT, "%.0f", c)).toList());
      System.out.printf(
          Locale.ROOT,
          "  %.0f reconcile passes, mean %.1f ms each%n",
          passes,
          passSeconds / passes * 1000);
      int canaries = n * rounds;
      // The test's own writes (one image change per canary) and KWOK's, the ReplicaSet controller's
      // and the stand-in gateway's status writes are in the server's count too; named so they can
      // be told apart.
      System.out.printf(
          Locale.ROOT,
          "  API writes per canary (server's count, all clients): %s%n",
          writes.entrySet().stream()
              .map(e -> String.format(Locale.ROOT, "%s %.1f", e.getKey(), e.getValue() / canaries))
              .collect(Collectors.joining(", ")));
      System.out.printf(
          Locale.ROOT,
          "  of which the controller's own kinds: rollouts/status %.1f, rolloutrecords %.1f, httproutes %.1f, replicasets %.1f, events %.1f%n%n",
          writes.getOrDefault("rollouts/status", 0.0) / canaries,
          writes.getOrDefault("rolloutrecords", 0.0) / canaries,
          writes.getOrDefault("httproutes", 0.0) / canaries,
          (writes.getOrDefault("replicasets", 0.0) + writes.getOrDefault("replicasets/scale", 0.0))
              / canaries,
          writes.getOrDefault("events", 0.0) / canaries);
      if (Boolean.getBoolean("slipway.bench.histogram")) {
        System.out.println(probe.histogram(25));
      }
      assertEquals(n, done.size());
      Bounds bounds = new Bounds();
      // With a few dozen Rollouts the fixed part of the heap still weighs (about 260 KiB each at 40
      // on a quiet machine, 46 KiB each at 10,000: docs/figures.md).
      bounds.atMost(
          "heap per stable Rollout",
          (stableHeap - idleHeap) * 1024 / n,
          n < 200 ? 800 : 192,
          "KiB",
          false);
      bounds.atMost("controller CPU per canary, all rounds", cpuCanaries / n, 600, "ms", true);
      bounds.atMost(
          "API writes per canary, controller's kinds",
          (writes.getOrDefault("rollouts/status", 0.0)
                  + writes.getOrDefault("rolloutrecords", 0.0)
                  + writes.getOrDefault("httproutes", 0.0)
                  + writes.getOrDefault("replicasets", 0.0)
                  + writes.getOrDefault("replicasets/scale", 0.0))
              / canaries,
          45,
          "",
          false);
      bounds.check();
    }
  }

  static void awaitUp(ControllerProbe probe) {
    for (int i = 0; i < 600; i++) {
      try {
        probe.scrape();
        return;
      } catch (Exception notYet) {
        Await.sleep(100);
      }
    }
    throw new AssertionError("controller did not come up");
  }

  /**
   * Polls every Rollout; returns, per namespace, nanoseconds from {@code since} until it was first
   * seen done.
   */
  static Map<String, Long> awaitAll(
      Cluster cp, int n, BiPredicate<String, RolloutStatus> done, long since) {
    Map<String, Long> seen = new HashMap<>();
    long deadline = System.nanoTime() + 600_000_000_000L;
    while (seen.size() < n) {
      if (System.nanoTime() > deadline) {
        Map<String, Long> waiting =
            cp.admin().resources(Rollout.class).inAnyNamespace().list().getItems().stream()
                .filter(
                    r -> !seen.containsKey(r.getMetadata().getNamespace()) && r.getStatus() != null)
                .collect(
                    Collectors.groupingBy(
                        r -> r.getStatus().message().replaceAll("[a-z0-9]{10}", "<rev>"),
                        Collectors.counting()));
        throw new AssertionError(
            "only " + seen.size() + " of " + n + " done; the others: " + waiting);
      }
      for (Rollout r : cp.admin().resources(Rollout.class).inAnyNamespace().list().getItems()) {
        String ns = r.getMetadata().getNamespace();
        var s = r.getStatus();
        if (!ns.startsWith("bench-") || s == null || seen.containsKey(ns)) continue;
        if (done.test(ns, s)) seen.put(ns, System.nanoTime() - since);
      }
      Await.sleep(100);
    }
    return seen;
  }
}
