package dev.slipway.e2e.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.slipway.api.v1alpha1.CanaryStep;
import dev.slipway.api.v1alpha1.RevisionState;
import dev.slipway.api.v1alpha1.RolloutStatus;
import dev.slipway.controller.reconcile.ClusterFixture;
import dev.slipway.e2e.cluster.Cluster;
import dev.slipway.e2e.cluster.LocalControlPlane;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * Time to roll back: a canary at 50% is aborted through the README's one-liner, and we time how
 * long until the route carries canary weight 0, until the controller has verified that the gateway
 * accepted it (as status reports; the scale-down waits for that acceptance and is written in the
 * same pass, just before the status), and until the canary is scaled to 0. Repeated, reported as
 * median / p90 / max.
 *
 * <p>Run: {@code mvn -pl e2e verify -Dtest=RollbackBenchmark -Dslipway.bench.rounds=20} (default 8).
 * The stand-in gateway polls routes every 150 ms, which bounds the "verified" figure from below.
 */
class RollbackBenchmark {
  @Test
  void timeToRollBack() throws Exception {
    int rounds = Integer.getInteger("slipway.bench.rounds", 8);
    try (BenchStack stack = new BenchStack("bench-rollback")) {
      Cluster cp = stack.cluster;
      cp.admin().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("bench-rb").endMetadata().build()).create();
      ClusterFixture f = new ClusterFixture(cp.admin(), "bench-rb");
      f.realApiServer = true;
      f.createServicesAndRoute();
      f.client.resource(f.rollout("rb:0", CanaryStep.weight(50), CanaryStep.pause(null))).create();
      await(f, s -> s.state() == RevisionState.Stable);
      Samples written = new Samples("abort -> route carries canary weight 0");
      Samples verified = new Samples("abort -> status shows weight 0 verified");
      Samples scaled = new Samples("abort -> canary scaled to 0");
      for (int i = 1; i <= rounds; i++) {
        f.newImage("rb:" + i);
        RolloutStatus s = await(f, st -> st.state() == RevisionState.Paused && Integer.valueOf(50).equals(st.verifiedWeight()));
        String canary = s.canaryRevision();
        long t0 = System.nanoTime();
        f.request("Abort");
        double w = -1, v = -1, sc = -1;
        while (w < 0 || v < 0 || sc < 0) {
          double ms = (System.nanoTime() - t0) / 1e6;
          if (ms > 30_000) throw new AssertionError("round " + i + " did not finish: " + w + "/" + v + "/" + sc);
          if (w < 0 && f.weights()[1] == 0) w = ms;
          if (v < 0 && Integer.valueOf(0).equals(f.get().getStatus().verifiedWeight())) v = ms;
          if (sc < 0 && canaryReplicas(f, canary) == 0) sc = ms;
          LocalControlPlane.sleep(10);
        }
        written.add(w);
        verified.add(v);
        scaled.add(sc);
        assertEquals(RevisionState.RolledBack, f.get().getStatus().state());
        org.junit.jupiter.api.Assertions.assertTrue(sc >= w, "traffic left the canary before its pods did");
      }
      ControllerProbe probe = stack.probe;
      double count = probe.sum("slipway_rollback_traffic_seconds_count", "");
      double sum = probe.sum("slipway_rollback_traffic_seconds_sum", "");
      System.out.println("\nBENCH time to roll back (" + rounds + " aborts of a 50% canary, controller in its own JVM, local control plane):");
      System.out.println("  " + written + "\n  " + verified + "\n  " + scaled);
      System.out.printf(Locale.ROOT, "  controller's own slipway_rollback_traffic_seconds: %.0f rollbacks, mean %.0f ms (decision -> verified)%n",
          count, count == 0 ? Double.NaN : sum / count * 1000);
      System.out.printf(Locale.ROOT, "  ratio scaled/written (traffic leaves before pods do): %.1f%n%n", scaled.median() / written.median());
    }
  }

  static int canaryReplicas(ClusterFixture f, String revision) {
    for (ReplicaSet rs : f.client.apps().replicaSets().inNamespace(f.ns).list().getItems()) {
      if (rs.getMetadata().getName().endsWith(revision)) return rs.getSpec().getReplicas();
    }
    return -1;
  }

  static RolloutStatus await(ClusterFixture f, Predicate<RolloutStatus> done) {
    return dev.slipway.e2e.ControllerE2ETest.await(f, done, java.time.Duration.ofSeconds(120), new java.util.ArrayList<>());
  }
}
