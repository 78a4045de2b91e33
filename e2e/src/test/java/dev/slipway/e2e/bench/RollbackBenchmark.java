package dev.slipway.e2e.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.slipway.api.v1alpha1.CanaryStep;
import dev.slipway.api.v1alpha1.RevisionState;
import dev.slipway.api.v1alpha1.Rollout;
import dev.slipway.api.v1alpha1.RolloutStatus;
import dev.slipway.controller.reconcile.ClusterFixture;
import dev.slipway.e2e.RolloutAwait;
import dev.slipway.e2e.cluster.Cluster;
import dev.slipway.e2e.tools.Await;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;

/**
 * Time to roll back: a canary at 50% is aborted through the one-liner of docs/kubectl.md, and we
 * time how long until the route carries canary weight 0, until the controller has verified that the
 * gateway accepted it (as status reports; the scale-down waits for that acceptance and is written
 * in the same pass, just before the status), and until the canary is scaled to 0. Repeated,
 * reported as median / p90 / p99 / max. Times come from watch events as they arrive (no polling of
 * the API server, which would itself load it): the route's weight 0, the Rollout's verified weight
 * 0, the canary ReplicaSet's 0 replicas.
 *
 * <p>Run: {@code mvn -pl e2e verify -Dtest=RollbackBenchmark -Dslipway.bench.rounds=20} (default
 * 8). The stand-in gateway polls routes every 150 ms, which bounds the "verified" figure from
 * below.
 */
class RollbackBenchmark {
  @Test
  void timeToRollBack() throws Exception {
    int rounds = Integer.getInteger("slipway.bench.rounds", 8);
    try (BenchStack stack = new BenchStack("bench-rollback")) {
      Cluster cp = stack.cluster;
      cp.admin()
          .namespaces()
          .resource(
              new NamespaceBuilder().withNewMetadata().withName("bench-rb").endMetadata().build())
          .create();
      ClusterFixture f = new ClusterFixture(cp.admin(), "bench-rb");
      f.realApiServer = true;
      f.createServicesAndRoute();
      f.client.resource(f.rollout("rb:0", CanaryStep.weight(50), CanaryStep.pause(null))).create();
      await(f, s -> s.state() == RevisionState.Stable);
      Samples written = new Samples("abort -> route carries canary weight 0");
      Samples verified = new Samples("abort -> status shows weight 0 verified");
      Samples scaled = new Samples("abort -> canary scaled to 0");
      for (int i = 1; i <= rounds; i++) {
        double w;
        double v;
        double sc;
        f.newImage("rb:" + i);
        RolloutStatus s =
            await(
                f,
                st ->
                    st.state() == RevisionState.Paused
                        && Integer.valueOf(50).equals(st.verifiedWeight()));
        String canary = s.canaryRevision();
        AtomicLong routeAt = new AtomicLong();
        AtomicLong verifiedAt = new AtomicLong();
        AtomicLong scaledAt = new AtomicLong();
        try (var routeWatch =
                f.client
                    .resources(HTTPRoute.class)
                    .inNamespace(f.ns)
                    .withName("demo")
                    .watch(on(r -> weight(r) == 0, routeAt));
            var rolloutWatch =
                f.client
                    .resources(Rollout.class)
                    .inNamespace(f.ns)
                    .withName("demo")
                    .watch(
                        on(
                            r ->
                                r.getStatus() != null
                                    && Integer.valueOf(0).equals(r.getStatus().verifiedWeight()),
                            verifiedAt));
            var rsWatch =
                f.client
                    .apps()
                    .replicaSets()
                    .inNamespace(f.ns)
                    .withName("demo-" + canary)
                    .watch(
                        on(r -> Integer.valueOf(0).equals(r.getSpec().getReplicas()), scaledAt))) {
          long t0 = System.nanoTime();
          f.request("Abort");
          while (routeAt.get() == 0 || verifiedAt.get() == 0 || scaledAt.get() == 0) {
            if (System.nanoTime() - t0 > 30_000_000_000L)
              throw new AssertionError("round " + i + " did not finish");
            Await.sleep(5);
          }
          w = (routeAt.get() - t0) / 1e6;
          v = (verifiedAt.get() - t0) / 1e6;
          sc = (scaledAt.get() - t0) / 1e6;
        }
        written.add(w);
        verified.add(v);
        scaled.add(sc);
        assertEquals(RevisionState.RolledBack, f.get().getStatus().state());
        Assertions.assertTrue(sc >= w, "traffic left the canary before its pods did");
      }
      ControllerProbe probe = stack.probe;
      double count = probe.sum("slipway_rollback_traffic_seconds_count", "");
      double sum = probe.sum("slipway_rollback_traffic_seconds_sum", "");
      System.out.println(
          "\nBENCH time to roll back ("
              + rounds
              + " aborts of a 50% canary, controller in its own JVM, local control plane):");
      System.out.println("  " + written + "\n  " + verified + "\n  " + scaled);
      System.out.printf(
          Locale.ROOT,
          "  controller's own slipway_rollback_traffic_seconds: %.0f rollbacks, mean %.0f ms (decision -> verified)%n",
          count,
          count == 0 ? Double.NaN : sum / count * 1000);
      System.out.printf(
          Locale.ROOT,
          "  ratio scaled/written (traffic leaves before pods do): %.1f%n",
          scaled.median() / written.median());
      Bounds bounds = new Bounds();
      bounds.atMost("abort -> route weight 0, median", written.median(), 150, "ms", true);
      bounds.atMost("abort -> canary scaled to 0, median", scaled.median(), 500, "ms", true);
      System.out.println();
      bounds.check();
    }
  }

  /** A watcher that records when an event first satisfies {@code done}. */
  static <T> Watcher<T> on(Predicate<T> done, AtomicLong at) {
    return new Watcher<>() {
      @Override
      public void eventReceived(Action action, T resource) {
        if (at.get() == 0 && resource != null && done.test(resource))
          at.compareAndSet(0, System.nanoTime());
      }

      @Override
      public void onClose(WatcherException cause) {}
    };
  }

  static int weight(HTTPRoute r) {
    return r.getSpec().getRules().get(0).getBackendRefs().stream()
        .filter(b -> "demo-canary".equals(b.getName()))
        .mapToInt(b -> b.getWeight() == null ? 1 : b.getWeight())
        .findFirst()
        .orElse(-1);
  }

  static RolloutStatus await(ClusterFixture f, Predicate<RolloutStatus> done) {
    return RolloutAwait.status(f, done, Duration.ofSeconds(120), new ArrayList<>());
  }
}
