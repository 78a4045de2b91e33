package dev.slipway.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slipway.api.v1alpha1.CanaryStep;
import dev.slipway.api.v1alpha1.RevisionState;
import dev.slipway.api.v1alpha1.Rollout;
import dev.slipway.api.v1alpha1.RolloutStatus;
import dev.slipway.controller.evidence.EvidenceKeys;
import dev.slipway.controller.evidence.RecordStore;
import dev.slipway.controller.evidence.Verifier;
import dev.slipway.controller.reconcile.ClusterFixture;
import dev.slipway.e2e.cluster.AuditLog;
import dev.slipway.e2e.cluster.Cluster;
import dev.slipway.e2e.cluster.SharedClusters;
import dev.slipway.e2e.gateway.StandInGateway;
import dev.slipway.e2e.tools.Await;
import dev.slipway.e2e.tools.Daemons;
import dev.slipway.e2e.workload.ControllerProcess;
import dev.slipway.testing.Never;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * Two and then three controller replicas with leader election, each its own OS process: one leads,
 * the standby reports healthy; the leader is SIGKILLed and the standby finishes the canary at the
 * step it was on; then a leader is frozen (SIGSTOP, like a long GC pause or a partitioned node)
 * until another takes the lease, and when it wakes it exits without writing anything (the failure
 * Argo Rollouts users hit in #2117).
 */
@ResourceLock(Lanes.KWOK_B)
@Order(20)
class LeaderElectionE2ETest {
  static final String NS = "e2e-ha";
  static Cluster cp;
  static StandInGateway gateway;

  @BeforeAll
  static void up() {
    cp = SharedClusters.withNodes(Lanes.KWOK_B);
    Prerequisites.kwokPods(cp, "its Rollouts use made-up images that only KWOK pods run");
    gateway = new StandInGateway(cp.admin());
  }

  @AfterAll
  static void down() {
    if (gateway != null) gateway.close();
    if (cp != null) cp.close();
  }

  /**
   * Writes the API server recorded from {@code since} on (its audit policy records Rollout status,
   * evidence records, ReplicaSets, Services and the controller's Leases), one line each, Leases
   * left out.
   */
  static String writesSince(Instant since) {
    try {
      StringBuilder out = new StringBuilder();
      for (AuditLog.Entry e : AuditLog.read(cp.dir().resolve("audit.log"))) {
        if (!e.at().isBefore(since) && !e.resource().equals("leases")) {
          out.append(e.line()).append('\n');
        }
      }
      return out.toString();
    } catch (java.io.IOException | RuntimeException e) {
      return "(no audit log: " + e + ")";
    }
  }

  static Map<String, String> replicaEnv(String pod) {
    return Map.of(
        "SLIPWAY_LEADER_ELECTION_NAMESPACE",
        "slipway-system",
        "SLIPWAY_POD_NAME",
        pod,
        "SLIPWAY_LEADER_ELECTION_LEASE_DURATION",
        "6s",
        "SLIPWAY_LEADER_ELECTION_RENEW_DEADLINE",
        "4s",
        "SLIPWAY_LEADER_ELECTION_RETRY_PERIOD",
        "1s",
        "SLIPWAY_WATCH_NAMESPACE",
        NS);
  }

  @Test
  void oneReplicaActsAStandbyTakesOverAndAWokenOldLeaderWritesNothing() throws Exception {
    cp.admin()
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build())
        .create();
    ClusterFixture f = new ClusterFixture(cp.admin(), NS);
    f.realApiServer = true;
    f.createServicesAndRoute();
    Map<String, ControllerProcess> replicas = new LinkedHashMap<>();
    List<String> weights = Collections.synchronizedList(new ArrayList<>());
    try (var watch = RouteWeights.watch(f.client, NS, "demo", weights)) {
      for (String pod : List.of("replica-a", "replica-b")) {
        replicas.put(pod, new ControllerProcess(cp, pod).start(replicaEnv(pod)));
      }
      String leader = awaitLeader(replicas.keySet(), "", Duration.ofSeconds(60));
      String standby =
          replicas.keySet().stream().filter(p -> !p.equals(leader)).findFirst().orElseThrow();
      System.out.println("  lease held by " + holder() + "; standby " + standby);
      replicas.values().forEach(p -> awaitHealthy(p, Duration.ofSeconds(60)));
      Map<String, Object> leaderHealth = health(replicas.get(leader));
      Map<String, Object> standbyHealth = health(replicas.get(standby));
      System.out.println(
          "  /health leader: " + leaderHealth + "\n  /health standby: " + standbyHealth);
      assertEquals("UP", leaderHealth.get("status"));
      assertEquals(
          "UP",
          standbyHealth.get("status"),
          "a standby must pass its probes, or it is restarted instead of waiting");
      assertTrue(
          String.valueOf(standbyHealth.get("details")).contains("leading=false"),
          standbyHealth.toString());

      f.client
          .resource(
              f.rollout(
                  "ha:1",
                  CanaryStep.weight(20),
                  CanaryStep.pause(null),
                  CanaryStep.weight(50),
                  CanaryStep.pause("2s"),
                  CanaryStep.weight(80)))
          .create();
      List<String> trace = new ArrayList<>();
      String v1 =
          RolloutAwait.status(
                  f, st -> st.state() == RevisionState.Stable, Duration.ofSeconds(120), trace)
              .stableRevision();

      // SIGKILL the leader while the canary waits at step 1: the standby takes the lease and
      // finishes it.
      f.newImage("ha:2");
      RolloutAwait.status(
          f,
          st ->
              st.state() == RevisionState.Paused
                  && Integer.valueOf(1).equals(st.currentStepIndex()),
          Duration.ofSeconds(60),
          trace);
      weights.clear();
      Instant killed = Instant.now();
      replicas.get(leader).kill();
      String second = awaitLeader(replicas.keySet(), leader, Duration.ofSeconds(60));
      System.out.println(
          "  SIGKILLed "
              + leader
              + "; "
              + second
              + " took the lease after "
              + Duration.between(killed, Instant.now()).toMillis()
              + " ms");
      assertEquals(standby, second);
      f.request("Resume");
      RolloutStatus s =
          RolloutAwait.status(
              f,
              st ->
                  st.state() == RevisionState.Stable
                      && !v1.equals(st.stableRevision())
                      && st.canaryRevision() == null,
              Duration.ofSeconds(120),
              trace);
      String v2 = s.stableRevision();
      Await.until(
          "the route's last weight in the watch",
          Duration.ofSeconds(30),
          () -> weights.size() >= 3 && weights.get(weights.size() - 1).equals("100/0"));
      assertEquals(
          List.of("50/50", "20/80", "100/0"),
          weights,
          "the new leader went on from step 1, each weight once");

      // Freeze the leader until a third replica holds the lease, move the canary on without it,
      // then wake it.
      replicas.put(
          "replica-c", new ControllerProcess(cp, "replica-c").start(replicaEnv("replica-c")));
      awaitHealthy(replicas.get("replica-c"), Duration.ofSeconds(60));
      f.newImage("ha:3");
      RolloutAwait.status(
          f,
          st ->
              st.state() == RevisionState.Paused
                  && Integer.valueOf(1).equals(st.currentStepIndex()),
          Duration.ofSeconds(60),
          trace);
      weights.clear();
      ControllerProcess frozen = replicas.get(second);
      frozen.freeze(true);
      Instant froze = Instant.now();
      String third = awaitLeader(replicas.keySet(), second, Duration.ofSeconds(60));
      System.out.println(
          "  froze "
              + second
              + " (SIGSTOP); "
              + third
              + " took the lease after "
              + Duration.between(froze, Instant.now()).toMillis()
              + " ms");
      assertEquals("replica-c", third);
      f.request("Resume");
      s =
          RolloutAwait.status(
              f,
              st ->
                  st.state() == RevisionState.Stable
                      && !v2.equals(st.stableRevision())
                      && st.canaryRevision() == null,
              Duration.ofSeconds(120),
              trace);
      String v3 = s.stableRevision();
      Await.sleep(1000);
      String routeVersion = f.route().getMetadata().getResourceVersion();
      var rolloutBefore = f.get();
      Instant woke = Instant.now();
      frozen.freeze(false);
      int exit = frozen.awaitExit(Duration.ofSeconds(30));
      System.out.println(
          "  woke "
              + second
              + " (SIGCONT): it exited with "
              + exit
              + " after "
              + Duration.between(woke, Instant.now()).toMillis()
              + " ms");
      assertNotEquals(0, exit, "an old leader that finds its lease gone exits");
      Never.changes(
          Duration.ofSeconds(3),
          "the woken old leader wrote nothing to the route",
          routeVersion,
          () -> f.route().getMetadata().getResourceVersion());
      var rolloutAfter = f.get();
      assertEquals(
          rolloutBefore.getMetadata().getResourceVersion(),
          rolloutAfter.getMetadata().getResourceVersion(),
          "nor to the Rollout: before "
              + Serialization.asJson(rolloutBefore.getStatus())
              + "\nafter "
              + Serialization.asJson(rolloutAfter.getStatus())
              // Once (1 run in about 20) the status was the same and only the resourceVersion
              // moved: the whole objects, metadata included, say who changed what.
              + "\nobject before "
              + Serialization.asJson(withoutStatus(rolloutBefore))
              + "\nobject after "
              + Serialization.asJson(withoutStatus(rolloutAfter))
              // About 1 run in 20, before the leader was fenced by time (LeaseFence), four status
              // writes by the new leader followed the wake, the status ending as it was: the API
              // server's record of the writes since (ReplicaSets and Services now included) says
              // who set it off.
              + "\nwrites since the wake (audit log):\n"
              + writesSince(woke));
      assertEquals(
          List.of("50/50", "20/80", "100/0"), weights, "each weight once, by the new leader");
      assertTrue(replicas.get("replica-c").alive(), "the current leader keeps running");
      assertTrue(holder().startsWith("replica-c_"), holder());

      // Three revisions, three leaders: each record still has every key once and a chain that
      // verifies.
      String pem =
          cp.admin()
              .configMaps()
              .inNamespace("slipway-system")
              .withName("slipway-evidence-public-key")
              .get()
              .getData()
              .get("public.pem");
      var store = RecordStore.reader(cp.admin());
      for (String rev : List.of(v2, v3)) {
        var entries = store.entries(NS, "demo", rev, 1);
        Map<String, Long> byKey =
            entries.stream().collect(Collectors.groupingBy(e -> e.key(), Collectors.counting()));
        assertTrue(
            byKey.values().stream().allMatch(n -> n == 1), "no key twice in " + rev + ": " + byKey);
        var verdict = Verifier.verify(entries, EvidenceKeys.publicKey(pem));
        assertTrue(verdict.ok(), verdict.message());
        System.out.println("  record of " + rev + ": " + verdict.message());
      }

      // The leader's metrics describe what it did; deleting the Rollout removes its series.
      ControllerProcess current = replicas.get("replica-c");
      String scrape = text(current.http("/prometheus"));
      List<String> slipway =
          scrape.lines().filter(l -> l.startsWith("slipway_") && !l.contains("_bucket")).toList();
      System.out.println("  leader's metrics:\n    " + String.join("\n    ", slipway));
      assertTrue(scrape.contains("slipway_leader 1.0"), "the leader says so");
      assertTrue(
          slipway.stream()
              .anyMatch(
                  l ->
                      l.startsWith("slipway_rollout_phase{")
                          && l.contains("phase=\"Healthy\"")
                          && l.contains("rollout=\"demo\"")
                          && l.endsWith(" 1.0")),
          "phase gauge");
      assertTrue(
          slipway.stream()
              .anyMatch(
                  l ->
                      l.startsWith("slipway_transitions_total{")
                          && l.contains("from=\"Promoted\"")
                          && l.contains("rollout=\"demo\"")
                          && l.contains("to=\"Stable\"")),
          "transitions, by Rollout");
      assertTrue(
          slipway.stream()
              .anyMatch(l -> l.startsWith("slipway_reconcile_seconds_count{outcome=\"ok\"}")),
          "reconcile timer");
      f.client.resource(f.get()).delete();
      Instant deadline = Instant.now().plusSeconds(30);
      while (text(current.http("/prometheus")).contains("rollout=\"demo\"")) {
        assertTrue(
            Instant.now().isBefore(deadline), "series of the deleted Rollout are still exported");
        Await.sleep(300);
      }
      System.out.println(
          "  deleted the Rollout: its series are gone from the leader's /prometheus");

      // A rolling update of the controller: SIGTERM the leader; it hands the lease over on its way
      // out.
      replicas.put(
          "replica-d", new ControllerProcess(cp, "replica-d").start(replicaEnv("replica-d")));
      awaitHealthy(replicas.get("replica-d"), Duration.ofSeconds(60));
      Instant terminated = Instant.now();
      replicas.get("replica-c").terminate();
      String fourth = awaitLeader(replicas.keySet(), "replica-c", Duration.ofSeconds(60));
      long handover = Duration.between(terminated, Instant.now()).toMillis();
      int cExit = replicas.get("replica-c").awaitExit(Duration.ofSeconds(30));
      System.out.println(
          "  SIGTERMed replica-c: "
              + fourth
              + " took the lease after "
              + handover
              + " ms; replica-c exited with "
              + cExit);
      assertEquals("replica-d", fourth);
      // On failure, how replica-c's shutdown went (ci46: 7,760 ms once, its log gone with it).
      String shutdown = handover < 5000 ? "" : Daemons.tail(replicas.get("replica-c").log(), 40);
      assertTrue(
          handover < 5000,
          "released on shutdown, not left to expire (lease 6 s): "
              + handover
              + " ms; replica-c's log ends:\n"
              + shutdown);
    } finally {
      for (ControllerProcess p : replicas.values()) p.close();
    }
  }

  static String holder() {
    Lease l =
        cp.admin().leases().inNamespace("slipway-system").withName("slipway-controller").get();
    return l == null || l.getSpec().getHolderIdentity() == null
        ? ""
        : l.getSpec().getHolderIdentity();
  }

  /**
   * Waits until the lease is held by one of {@code pods} other than {@code previous}; returns that
   * pod.
   */
  static String awaitLeader(Collection<String> pods, String previous, Duration timeout) {
    return Await.until("a new leader among " + pods, timeout)
        .every(Duration.ofMillis(200))
        .explaining(() -> "holder: " + holder())
        .value(
            () -> {
              String h = holder();
              return pods.stream()
                  .filter(p -> !p.equals(previous) && h.startsWith(p + "_"))
                  .findFirst()
                  .orElse(null);
            });
  }

  static String text(URI uri) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  static Map<String, Object> health(ControllerProcess p) throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(p.http("/health")).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    @SuppressWarnings("unchecked")
    Map<String, Object> body = new ObjectMapper().readValue(r.body(), Map.class);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("code", r.statusCode());
    out.put("status", body.get("status"));
    Object details = body.get("details");
    if (details instanceof Map<?, ?> m && m.get("slipway-operator") instanceof Map<?, ?> op)
      details = op.get("details");
    out.put("details", details);
    return out;
  }

  static void awaitHealthy(ControllerProcess p, Duration timeout) {
    Await.until("controller healthy", timeout)
        .every(Duration.ofMillis(300))
        .ignoringExceptions() // the HTTP server is not up yet
        .explaining(() -> "see " + p.log())
        .holds(
            () -> {
              try {
                return "UP".equals(health(p).get("status"));
              } catch (Exception notYet) {
                return false;
              }
            });
  }

  /** The Rollout's metadata and spec, for a failure message. */
  static Rollout withoutStatus(Rollout r) {
    Rollout copy = Serialization.clone(r);
    copy.setStatus(null);
    return copy;
  }
}
