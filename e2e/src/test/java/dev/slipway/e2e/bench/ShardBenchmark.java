package dev.slipway.e2e.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.api.v1alpha1.RevisionState;
import dev.slipway.api.v1alpha1.Rollout;
import dev.slipway.api.v1alpha1.RolloutRecord;
import dev.slipway.controller.evidence.EvidenceKeys;
import dev.slipway.controller.evidence.LedgerVerifier;
import dev.slipway.controller.k8s.ShardLeases;
import dev.slipway.controller.k8s.Shards;
import dev.slipway.e2e.Prerequisites;
import dev.slipway.e2e.cluster.Cluster;
import dev.slipway.e2e.cluster.Clusters;
import dev.slipway.e2e.cluster.LocalControlPlane;
import dev.slipway.e2e.cluster.Stacks;
import dev.slipway.e2e.tools.Await;
import dev.slipway.e2e.tools.Kubectl;
import dev.slipway.e2e.workload.ControllerProcess;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Three controller replicas share the Rollouts in three shards (one Lease each). Mid-burst one
 * replica is SIGKILLed: the time until its shard's Rollouts are written by the replica that takes
 * it over; then it starts again under its name and takes its shard back: the longest its shard's
 * Rollouts went without a writer at the hand-back. From the API server's audit log: every write of
 * a Rollout's status or record was made by the replica holding its shard at that moment (zero by
 * any other); every Rollout's evidence verifies (chain, signatures, status head).
 *
 * <p>Run: {@code mvn -pl e2e verify -Dtest=ShardBenchmark -Dslipway.bench.shardRollouts=3000}
 * (default 150; CI runs it small).
 */
class ShardBenchmark {
  static final int SHARDS = 3;
  static final Duration LEASE = Duration.ofSeconds(8);
  static final Duration RENEW_DEADLINE = Duration.ofSeconds(5);

  @Test
  void threeReplicasThreeShardsOneKilledMidBurst() throws Exception {
    int n = Integer.getInteger("slipway.bench.shardRollouts", 150);
    int burst = Math.min(n, Integer.getInteger("slipway.bench.shardBurst", 150));
    try (Cluster cp = Clusters.withNodes()) {
      Prerequisites.kwokPods(cp, "the benchmark's Rollouts use made-up images");
      assertTrue(
          cp instanceof LocalControlPlane,
          "the shard benchmark reads the API server's audit log: it needs the local control plane");
      LocalControlPlane plane = (LocalControlPlane) cp;
      Stacks.prepare(cp);
      ExecutorService pool = Executors.newFixedThreadPool(8);
      Map<String, ControllerProcess> replicas = new LinkedHashMap<>();
      try {
        List<Future<?>> work = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          int k = i;
          work.add(pool.submit(() -> ScaleBenchmark.create(cp.admin(), k)));
        }
        for (Future<?> f : work) f.get();
        for (int i = 0; i < 3; i++) start(cp, replicas, "slipway-" + i);
        ScaleBenchmark.awaitStable(cp, n);
        Map<Integer, String> holders = awaitSpread(cp.admin());
        System.out.println("  shards held: " + holders);

        // The burst: new images, and a replica killed half-way through.
        String victim = "slipway-1";
        int moved =
            holders.entrySet().stream()
                .filter(e -> e.getValue().startsWith(victim + "_"))
                .findFirst()
                .orElseThrow()
                .getKey();
        List<Future<?>> edits = new ArrayList<>();
        for (int i = 0; i < burst; i++) {
          int k = i;
          edits.add(pool.submit(() -> image(cp.admin(), k, "scale:2")));
        }
        for (int i = 0; i < burst / 2; i++) edits.get(i).get();
        Instant killed = Instant.now();
        replicas.remove(victim).kill();
        for (Future<?> f : edits) f.get();
        awaitImage(cp.admin(), IntStream.range(0, burst).boxed().toList(), 2);

        // Back under its name: it takes its shard back while that shard's Rollouts keep changing
        // (a new image every 300 ms, round robin), so any pause in their handling shows.
        List<Integer> inShard =
            IntStream.range(0, n)
                .filter(i -> Shards.of(ScaleBenchmark.namespace(i), "r" + i, SHARDS) == moved)
                .limit(20)
                .boxed()
                .toList();
        AtomicBoolean changing = new AtomicBoolean(true);
        Future<?> ticker =
            pool.submit(
                () -> {
                  for (int j = 0; changing.get(); j++) {
                    image(cp.admin(), inShard.get(j % inShard.size()), "scale:" + (10 + j));
                    Await.sleep(300);
                  }
                });
        Await.sleep(1000);
        Instant restarted = Instant.now();
        start(cp, replicas, victim);
        awaitHeldBy(cp.admin(), moved, victim);
        Await.sleep(5000);
        changing.set(false);
        ticker.get();
        awaitCurrent(cp.admin(), inShard);
        Thread.sleep(2000);
        for (ControllerProcess p : replicas.values()) p.close();
        replicas.clear();

        AuditTrail audit = AuditTrail.read(plane.auditLog());
        Report r = report(audit, moved, victim, killed, restarted);
        String evidence = verifyEvidence(cp, n);
        System.out.printf(
            Locale.ROOT,
            "%nBENCH shards (3 replicas, 3 shards, lease %d s, renew deadline %d s; %d Rollouts, a burst of %d; KWOK pods, load %s):%n"
                + "  replica %s SIGKILLed mid-burst: shard %d taken %.1f s later, its Rollouts written by %s %.1f s later%n"
                + "  %s back: shard %d handed back by %s; its Rollouts, changing every 300 ms, at most %.1f s without a write%n"
                + "  writes by a replica not holding the Rollout's shard: %d of %d (audit log); Rollouts written by more than one replica: %d%n"
                + "  evidence: %s%n",
            LEASE.toSeconds(),
            RENEW_DEADLINE.toSeconds(),
            n,
            burst,
            Bounds.load(),
            victim,
            moved,
            r.leaseTaken(),
            r.taker(),
            r.takenOver(),
            victim,
            moved,
            r.handedBackBy(),
            r.handBackPause(),
            r.stray().size(),
            audit.rollouts.size(),
            r.multiWriter(),
            evidence);
        r.stray().stream().limit(10).forEach(s -> System.out.println("    stray: " + s));
        assertEquals(List.of(), r.stray(), "every Rollout written only by its shard's holder");
        Bounds bounds = new Bounds();
        bounds.atMost(
            "kill -> its shard's Rollouts written again",
            r.takenOver(),
            LEASE.toSeconds() + 2,
            "s",
            true);
        bounds.atMost(
            "hand-back: shard's Rollouts without a writer",
            r.handBackPause(),
            LEASE.toSeconds(),
            "s",
            true);
        bounds.check();
      } finally {
        pool.shutdownNow();
        for (ControllerProcess p : replicas.values()) p.close();
      }
    }
  }

  record Report(
      double leaseTaken,
      String taker,
      double takenOver,
      double handBackPause,
      String handedBackBy,
      List<String> stray,
      long multiWriter) {}

  static Report report(
      AuditTrail audit, int moved, String victim, Instant killed, Instant restarted) {
    String lease = ShardLeases.shardLease(moved);
    // The takeover: the first Lease write after the kill naming another holder, then the first
    // write of one of the shard's Rollouts by it.
    AuditTrail.LeaseWrite take =
        audit.leases.stream()
            .filter(l -> l.lease().equals(lease) && l.at().isAfter(killed))
            .filter(l -> l.holder() != null && !l.holder().startsWith(victim + "_"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("nobody took shard " + moved + " over"));
    String taker = take.replica();
    Instant firstByTaker =
        audit.rollouts.stream()
            .filter(w -> w.at().isAfter(killed) && w.replica().equals(taker))
            .filter(w -> Shards.of(w.namespace(), w.rollout(), SHARDS) == moved)
            .map(AuditTrail.RolloutWrite::at)
            .findFirst()
            .orElseThrow(() -> new AssertionError(taker + " never wrote shard " + moved));
    // The hand-back: the longest gap between writes of the shard's Rollouts (changing all along)
    // from the restart until 5 s after the victim took the shard back.
    AuditTrail.LeaseWrite back =
        audit.leases.stream()
            .filter(l -> l.lease().equals(lease) && l.at().isAfter(restarted))
            .filter(l -> l.holder() != null && l.holder().startsWith(victim + "_"))
            .findFirst()
            .orElseThrow(() -> new AssertionError(victim + " never took shard " + moved + " back"));
    List<Instant> around =
        audit.rollouts.stream()
            .filter(w -> !w.at().isBefore(restarted) && !w.at().isAfter(back.at().plusSeconds(5)))
            .filter(w -> Shards.of(w.namespace(), w.rollout(), SHARDS) == moved)
            .map(AuditTrail.RolloutWrite::at)
            .toList();
    double pause = 0;
    for (int i = 1; i < around.size(); i++)
      pause = Math.max(pause, seconds(around.get(i - 1), around.get(i)));
    assertTrue(
        audit.rollouts.stream()
            .anyMatch(
                w ->
                    w.at().isAfter(back.at())
                        && w.replica().equals(victim)
                        && Shards.of(w.namespace(), w.rollout(), SHARDS) == moved),
        victim + " wrote its shard's Rollouts again");
    assertTrue(around.size() > 2, "the shard's Rollouts were written around the hand-back");
    return new Report(
        seconds(killed, take.at()),
        taker,
        seconds(killed, firstByTaker),
        pause,
        taker,
        stray(audit),
        audit.rollouts.stream()
            .collect(
                Collectors.groupingBy(
                    w -> w.namespace() + "/" + w.rollout(),
                    Collectors.mapping(AuditTrail.RolloutWrite::replica, Collectors.toSet())))
            .values()
            .stream()
            .filter(s -> s.size() > 1)
            .count());
  }

  /**
   * Writes made by a replica that did not hold the Rollout's shard then: the last write of the
   * shard's Lease before it must name that replica, and be no older than the renew deadline (plus a
   * second for the request itself).
   */
  static List<String> stray(AuditTrail audit) {
    Map<String, List<AuditTrail.LeaseWrite>> byLease =
        audit.leases.stream().collect(Collectors.groupingBy(AuditTrail.LeaseWrite::lease));
    List<String> out = new ArrayList<>();
    for (AuditTrail.RolloutWrite w : audit.rollouts) {
      String lease = ShardLeases.shardLease(Shards.of(w.namespace(), w.rollout(), SHARDS));
      AuditTrail.LeaseWrite last = null;
      for (AuditTrail.LeaseWrite l : byLease.getOrDefault(lease, List.of())) {
        if (l.at().isAfter(w.at())) break;
        last = l;
      }
      boolean held =
          last != null
              && last.holder() != null
              && last.holder().startsWith(w.replica() + "_")
              && seconds(last.at(), w.at()) <= RENEW_DEADLINE.toSeconds() + 1;
      if (!held)
        out.add(
            w
                + " (the lease's last write before it: "
                + (last == null ? "none" : last.holder() + " at " + last.at())
                + ")");
    }
    return out;
  }

  /** Every Rollout's records verify: chains, signatures, and the head its status names. */
  static String verifyEvidence(Cluster cp, int n) throws Exception {
    Kubectl k = new Kubectl(cp.adminKubeconfig());
    Kubectl.Result key = k.plugin("evidence", "public-key");
    assertEquals(0, key.exit(), key.out());
    PublicKey publicKey = EvidenceKeys.publicKey(key.out());
    KubernetesClient c = cp.admin();
    Set<String> namespaces = new TreeSet<>();
    for (int i = 0; i < n; i++) namespaces.add(ScaleBenchmark.namespace(i));
    int verified = 0;
    int entries = 0;
    for (String ns : namespaces) {
      Map<String, List<RolloutRecord>> byRollout = new HashMap<>();
      for (RolloutRecord rec : c.resources(RolloutRecord.class).inNamespace(ns).list().getItems()) {
        byRollout.computeIfAbsent(rec.getSpec().rollout(), x -> new ArrayList<>()).add(rec);
      }
      for (Rollout r : c.resources(Rollout.class).inNamespace(ns).list().getItems()) {
        List<RolloutRecord> recs = byRollout.getOrDefault(r.getMetadata().getName(), List.of());
        LedgerVerifier.Result v =
            LedgerVerifier.verify(recs, publicKey, r.getStatus().evidenceHead());
        assertTrue(v.ok(), ns + "/" + r.getMetadata().getName() + ": " + v.message());
        verified++;
        entries += recs.stream().mapToInt(x -> x.getSpec().entriesOrEmpty().size()).sum();
      }
    }
    return verified + " Rollouts' records verified (" + entries + " entries)";
  }

  static void start(Cluster cp, Map<String, ControllerProcess> replicas, String pod) {
    replicas.put(
        pod,
        new ControllerProcess(cp, pod)
            .start(
                Map.of(
                    "SLIPWAY_LEADER_ELECTION_NAMESPACE",
                    "slipway-system",
                    "SLIPWAY_POD_NAME",
                    pod,
                    "SLIPWAY_LEADER_ELECTION_LEASE_DURATION",
                    LEASE.toSeconds() + "s",
                    "SLIPWAY_LEADER_ELECTION_RENEW_DEADLINE",
                    RENEW_DEADLINE.toSeconds() + "s",
                    "SLIPWAY_LEADER_ELECTION_RETRY_PERIOD",
                    "1s",
                    "SLIPWAY_SHARDS_COUNT",
                    Integer.toString(SHARDS),
                    "SLIPWAY_SHARDS_TICK",
                    "500ms"),
                List.of("-Xmx512m"),
                ControllerProcess.productionClasspath()));
  }

  /** Waits until each shard is held by a different replica; returns shard to holder. */
  static Map<Integer, String> awaitSpread(KubernetesClient c) {
    long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    while (true) {
      Map<Integer, String> h = holders(c);
      Set<String> members =
          h.values().stream().map(x -> x.substring(0, x.indexOf('_'))).collect(Collectors.toSet());
      if (h.size() == SHARDS && members.size() == SHARDS) return h;
      if (System.nanoTime() > deadline)
        throw new AssertionError("shards not spread over the three replicas: " + h);
      Await.sleep(250);
    }
  }

  static void awaitHeldBy(KubernetesClient c, int shard, String member) {
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (!holders(c).getOrDefault(shard, "").startsWith(member + "_")) {
      if (System.nanoTime() > deadline)
        throw new AssertionError(member + " did not take shard " + shard + " back: " + holders(c));
      Await.sleep(100);
    }
  }

  static Map<Integer, String> holders(KubernetesClient c) {
    Map<Integer, String> out = new HashMap<>();
    for (int s = 0; s < SHARDS; s++) {
      Lease l = c.leases().inNamespace("slipway-system").withName(ShardLeases.shardLease(s)).get();
      String h = l == null || l.getSpec() == null ? null : l.getSpec().getHolderIdentity();
      if (h != null && !h.isBlank()) out.put(s, h);
    }
    return out;
  }

  static void image(KubernetesClient c, int i, String image) {
    c.resources(Rollout.class)
        .inNamespace(ScaleBenchmark.namespace(i))
        .withName("r" + i)
        .edit(
            r -> {
              r.getSpec().template().getSpec().getContainers().get(0).setImage(image);
              return r;
            });
  }

  /** Waits until each of these Rollouts is Stable at its current generation. */
  static void awaitCurrent(KubernetesClient c, List<Integer> which) {
    for (int i : which) {
      long g =
          c.resources(Rollout.class)
              .inNamespace(ScaleBenchmark.namespace(i))
              .withName("r" + i)
              .get()
              .getMetadata()
              .getGeneration();
      awaitImage(c, List.of(i), g);
    }
  }

  /** Waits until each of these Rollouts is Stable at generation {@code generation} or later. */
  static void awaitImage(KubernetesClient c, List<Integer> which, long generation) {
    long deadline = System.nanoTime() + Duration.ofMinutes(20).toNanos();
    List<Integer> left = new ArrayList<>(which);
    while (!left.isEmpty()) {
      left.removeIf(
          i -> {
            var s =
                c.resources(Rollout.class)
                    .inNamespace(ScaleBenchmark.namespace(i))
                    .withName("r" + i)
                    .get()
                    .getStatus();
            return s != null
                && s.state() == RevisionState.Stable
                && s.canaryRevision() == null
                && s.observedGeneration() != null
                && s.observedGeneration() >= generation;
          });
      if (System.nanoTime() > deadline)
        throw new AssertionError(left.size() + " Rollouts not done, e.g. r" + left.get(0));
      if (!left.isEmpty()) Await.sleep(500);
    }
  }

  static double seconds(Instant a, Instant b) {
    return Duration.between(a, b).toMillis() / 1000.0;
  }
}
