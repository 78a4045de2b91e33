package dev.slipway.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.api.v1alpha1.CanaryStep;
import dev.slipway.api.v1alpha1.RevisionState;
import dev.slipway.api.v1alpha1.RolloutStatus;
import dev.slipway.controller.evidence.EvidenceKeys;
import dev.slipway.controller.evidence.RecordStore;
import dev.slipway.controller.evidence.Verifier;
import dev.slipway.controller.reconcile.ClusterFixture;
import dev.slipway.e2e.cluster.Cluster;
import dev.slipway.e2e.cluster.SharedClusters;
import dev.slipway.e2e.gateway.StandInGateway;
import dev.slipway.e2e.tools.Await;
import dev.slipway.e2e.workload.ControllerProcess;
import dev.slipway.testing.Never;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;

/** The controller process is SIGKILLed mid-step and started again: it resumes where it was. */
@ResourceLock(Lanes.KWOK_A)
@Order(12)
class ControllerRestartE2ETest {
  static Cluster cp;
  static StandInGateway gateway;

  @BeforeAll
  static void up() {
    cp = SharedClusters.withNodes(Lanes.KWOK_A);
    Prerequisites.kwokPods(cp, "its Rollouts use made-up images that only KWOK pods run");
    gateway = new StandInGateway(cp.admin());
  }

  @AfterAll
  static void down() {
    if (gateway != null) gateway.close();
    if (cp != null) cp.close();
  }

  @Test
  void sigkilledControllerResumesAtTheSameStepWithoutDuplicatingTransitions() throws Exception {
    cp.admin()
        .namespaces()
        .resource(
            new NamespaceBuilder().withNewMetadata().withName("e2e-kill").endMetadata().build())
        .create();
    ClusterFixture f = new ClusterFixture(cp.admin(), "e2e-kill");
    f.realApiServer = true;
    f.createServicesAndRoute();
    List<String> weights = Collections.synchronizedList(new ArrayList<>());
    try (ControllerProcess controller = new ControllerProcess(cp).start();
        var watch = RouteWeights.watch(f.client, "e2e-kill", "demo", weights)) {
      f.client
          .resource(
              f.rollout(
                  "kill:1",
                  CanaryStep.weight(20),
                  CanaryStep.pause("15s"),
                  CanaryStep.weight(50),
                  CanaryStep.pause("3s"),
                  CanaryStep.weight(80)))
          .create();
      List<String> trace = new ArrayList<>();
      RolloutStatus s =
          RolloutAwait.status(
              f, st -> st.state() == RevisionState.Stable, Duration.ofSeconds(120), trace);
      String v1 = s.stableRevision();
      weights.clear();

      f.newImage("kill:2");
      s =
          RolloutAwait.status(
              f,
              st ->
                  st.state() == RevisionState.Paused
                      && Integer.valueOf(1).equals(st.currentStepIndex()),
              Duration.ofSeconds(60),
              trace);
      long pid = controller.pid();
      controller.kill();
      System.out.println(
          "  SIGKILLed controller pid "
              + pid
              + " at step "
              + s.currentStepIndex()
              + " ("
              + s.message()
              + ")");
      assertFalse(controller.alive());
      RolloutStatus atKill = s;
      Never.changes(
          Duration.ofSeconds(2),
          "nothing moves while the controller is down",
          atKill,
          () -> f.get().getStatus());
      assertEquals(20, f.weights()[1], "traffic stays where it was");

      controller.start();
      System.out.println("  restarted controller pid " + controller.pid());
      List<Integer> stepsAfter = new ArrayList<>();
      s =
          RolloutAwait.status(
              f,
              st -> {
                if (st.currentStepIndex() != null) stepsAfter.add(st.currentStepIndex());
                return st.state() == RevisionState.Stable
                    && !v1.equals(st.stableRevision())
                    && st.canaryRevision() == null;
              },
              Duration.ofSeconds(120),
              trace);
      assertTrue(
          stepsAfter.stream().allMatch(i -> i >= 1),
          "resumed at step 1 or later, never restarted: " + stepsAfter);
      Await.sleep(500);
      assertEquals(
          List.of("80/20", "50/50", "20/80", "100/0"),
          weights,
          "each weight written once, in order: " + trace);

      String v2 = s.stableRevision();
      List<Event> transitions =
          f.client.v1().events().inNamespace("e2e-kill").list().getItems().stream()
              .filter(
                  e ->
                      e.getReason().startsWith("Transition") && e.getMessage().startsWith(v2 + ":"))
              .toList();
      Map<String, Long> byMessage =
          transitions.stream()
              .collect(Collectors.groupingBy(Event::getMessage, Collectors.counting()));
      System.out.println(
          "  transitions of " + v2 + ": " + transitions.stream().map(Event::getReason).toList());
      assertTrue(
          byMessage.values().stream().allMatch(n -> n == 1),
          "no transition recorded twice: " + byMessage);
      Map<String, Long> byReason =
          transitions.stream()
              .collect(Collectors.groupingBy(Event::getReason, Collectors.counting()));
      assertEquals(1L, byReason.get("TransitionPromoted"), byReason.toString());
      assertEquals(1L, byReason.get("TransitionStable"), byReason.toString());
    }
  }

  /**
   * Evidence before action, proven by crashing at the two seams: halted right after the decision to
   * set weight 50 was persisted (before the route was written), then right after weight 80 was
   * written (before its result was persisted). After each restart the record holds exactly one
   * decision and one result for that step, and the whole chain verifies.
   */
  @Test
  void crashesBetweenDecisionActionAndResultLoseAndDuplicateNothing() throws Exception {
    cp.admin()
        .namespaces()
        .resource(
            new NamespaceBuilder().withNewMetadata().withName("e2e-crash").endMetadata().build())
        .create();
    ClusterFixture f = new ClusterFixture(cp.admin(), "e2e-crash");
    f.realApiServer = true;
    f.createServicesAndRoute();
    try (ControllerProcess controller = new ControllerProcess(cp).start()) {
      f.client
          .resource(
              f.rollout(
                  "crash:1",
                  CanaryStep.weight(20),
                  CanaryStep.pause("2s"),
                  CanaryStep.weight(50),
                  CanaryStep.pause("2s"),
                  CanaryStep.weight(80)))
          .create();
      List<String> trace = new ArrayList<>();
      String v1 =
          RolloutAwait.status(
                  f, st -> st.state() == RevisionState.Stable, Duration.ofSeconds(120), trace)
              .stableRevision();
      controller.kill();

      controller.start(Map.of("SLIPWAY_FAULT_HALT", "after-decision:weight/1/50"));
      f.newImage("crash:2");
      assertEquals(
          137,
          controller.awaitExit(Duration.ofSeconds(90)),
          "halted after persisting the decision");
      String v2 = f.get().getStatus().canaryRevision();
      var store = RecordStore.reader(cp.admin());
      List<String> keys =
          store.entries("e2e-crash", "demo", v2, 1).stream().map(e -> e.key()).toList();
      assertTrue(
          keys.contains("weight/1/50") && !keys.contains("weight/1/50/result"), keys.toString());
      assertEquals(20, f.weights()[1], "the decision was persisted, the action not taken");
      System.out.println(
          "  halted between decision and action; record ends: "
              + keys.subList(Math.max(0, keys.size() - 3), keys.size()));

      controller.start(Map.of("SLIPWAY_FAULT_HALT", "after-action:weight/2/80"));
      assertEquals(
          137,
          controller.awaitExit(Duration.ofSeconds(90)),
          "halted after the action, before its result");
      keys = store.entries("e2e-crash", "demo", v2, 1).stream().map(e -> e.key()).toList();
      assertTrue(
          keys.contains("weight/2/80") && !keys.contains("weight/2/80/result"), keys.toString());
      assertEquals(80, f.weights()[1], "the route was written");
      System.out.println(
          "  halted between action and result; record ends: "
              + keys.subList(Math.max(0, keys.size() - 3), keys.size()));

      controller.start();
      RolloutStatus s =
          RolloutAwait.status(
              f,
              st ->
                  st.state() == RevisionState.Stable
                      && !v1.equals(st.stableRevision())
                      && st.canaryRevision() == null,
              Duration.ofSeconds(120),
              trace);
      var entries = store.entries("e2e-crash", "demo", v2, 1);
      Map<String, Long> byKey =
          entries.stream().collect(Collectors.groupingBy(e -> e.key(), Collectors.counting()));
      assertTrue(byKey.values().stream().allMatch(n -> n == 1), "no key twice: " + byKey);
      for (String k : List.of("weight/1/50", "weight/2/80")) {
        assertEquals(
            1L,
            entries.stream().filter(e -> e.key().equals(k) && e.phase().equals("decision")).count(),
            k);
        assertEquals(
            1L,
            entries.stream()
                .filter(e -> e.key().equals(k + "/result") && e.phase().equals("result"))
                .count(),
            k + "/result");
      }
      List<Integer> weights =
          entries.stream()
              .filter(e -> e.kind().equals("WeightSet"))
              .map(e -> ((Number) e.data().get("canaryWeight")).intValue())
              .toList();
      assertEquals(List.of(20, 50, 80, 0), weights, "each weight decided once, in order");
      String pem =
          cp.admin()
              .configMaps()
              .inNamespace("slipway-system")
              .withName("slipway-evidence-public-key")
              .get()
              .getData()
              .get("public.pem");
      var verdict = Verifier.verify(entries, EvidenceKeys.publicKey(pem));
      assertTrue(verdict.ok(), verdict.message());
      System.out.println(
          "  after two crashes: "
              + entries.size()
              + " entries, "
              + verdict.message()
              + "; stable "
              + s.stableRevision());
    }
  }

  /**
   * Evidence before action, when the record cannot be written at all (here: the controller's
   * ClusterRole loses create/update on rolloutrecords): the new revision does not start, and the
   * Rollout says why in its message, a condition and an Event. Restoring the role lets it proceed.
   */
  @Test
  void aLedgerThatCannotBeWrittenHoldsTheRolloutAndSaysWhy() throws Exception {
    cp.admin()
        .namespaces()
        .resource(
            new NamespaceBuilder().withNewMetadata().withName("e2e-ledger").endMetadata().build())
        .create();
    ClusterFixture f = new ClusterFixture(cp.admin(), "e2e-ledger");
    f.realApiServer = true;
    f.createServicesAndRoute();
    try (ControllerProcess controller = new ControllerProcess(cp, "ledger-controller").start()) {
      f.client
          .resource(
              f.rollout(
                  "ledger:1", CanaryStep.weight(20), CanaryStep.pause("2s"), CanaryStep.weight(60)))
          .create();
      List<String> trace = new ArrayList<>();
      String v1 =
          RolloutAwait.status(
                  f, st -> st.state() == RevisionState.Stable, Duration.ofSeconds(120), trace)
              .stableRevision();
      var roles = cp.admin().rbac().clusterRoles().withName("slipway-controller");
      var original = roles.get();
      var narrowed = new ClusterRoleBuilder(original).build();
      narrowed.getMetadata().setResourceVersion(null);
      narrowed.getRules().stream()
          .filter(r -> r.getResources().contains("rolloutrecords"))
          .forEach(r -> r.setVerbs(List.of("get", "list")));
      roles.patch(narrowed);
      RolloutStatus s;
      try {
        f.newImage("ledger:2");
        s =
            RolloutAwait.status(
                f,
                st ->
                    st.conditionsOrEmpty().stream()
                        .anyMatch(c -> c.type().equals("EvidenceUnavailable")),
                Duration.ofSeconds(60),
                trace);
        System.out.println("  with the ledger unwritable: " + s.message());
        assertTrue(
            s.message().contains("evidence record could not be written")
                && s.message().contains("403"),
            s.message());
        Never.changes(
            Duration.ofSeconds(3),
            "the new revision did not start",
            v1 + " canary=null",
            () ->
                f.get().getStatus().stableRevision()
                    + " canary="
                    + f.get().getStatus().canaryRevision());
        s = f.get().getStatus();
        assertEquals(
            1,
            f.client.apps().replicaSets().inNamespace("e2e-ledger").list().getItems().size(),
            "no canary ReplicaSet");
        assertEquals(0, f.weights()[1], "no traffic moved");
        assertTrue(
            f.client.v1().events().inNamespace("e2e-ledger").list().getItems().stream()
                .anyMatch(e -> e.getReason().equals("EvidenceUnavailable")),
            "an Event says why");
      } finally {
        var restore = new ClusterRoleBuilder(original).build();
        restore.getMetadata().setResourceVersion(null);
        roles.patch(restore);
      }
      s =
          RolloutAwait.status(
              f,
              st -> st.state() == RevisionState.Stable && !v1.equals(st.stableRevision()),
              Duration.ofSeconds(120),
              trace);
      assertTrue(
          s.conditionsOrEmpty().stream().noneMatch(c -> c.type().equals("EvidenceUnavailable")),
          "the condition went: " + s);
      System.out.println("  role restored: " + s.message());
    }
  }
}
