package dev.slipway.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.api.v1alpha1.CanaryStep;
import dev.slipway.api.v1alpha1.RevisionState;
import dev.slipway.api.v1alpha1.RolloutStatus;
import dev.slipway.controller.reconcile.ClusterFixture;
import dev.slipway.e2e.cluster.ControllerProcess;
import dev.slipway.e2e.cluster.Crds;
import dev.slipway.e2e.cluster.Kubectl;
import dev.slipway.e2e.cluster.Cluster;
import dev.slipway.e2e.cluster.Clusters;
import dev.slipway.e2e.cluster.LocalControlPlane;
import dev.slipway.e2e.gateway.StandInGateway;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The controller process is SIGKILLed mid-step and started again: it resumes where it was. */
class ControllerRestartE2ETest {
  static Cluster cp;
  static StandInGateway gateway;

  @BeforeAll
  static void up() {
    cp = Clusters.withNodes();
    org.junit.jupiter.api.Assumptions.assumeTrue(cp.fakePods(), "needs the local control plane: its Rollouts use made-up images that only KWOK pods run");
    Crds.installSlipway(cp.admin());
    Crds.installGatewayApi(cp.admin());
    Kubectl.Result rbac = new Kubectl(cp.adminKubeconfig()).run(null, "apply", "-f",
        Crds.repoRoot().resolve("samples/install/rbac.yaml").toString());
    assertEquals(0, rbac.exit(), rbac.out());
    gateway = new StandInGateway(cp.admin());
  }

  @AfterAll
  static void down() {
    if (gateway != null) gateway.close();
    if (cp != null) cp.close();
  }

  @Test
  void sigkilledControllerResumesAtTheSameStepWithoutDuplicatingTransitions() throws Exception {
    cp.admin().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("e2e-kill").endMetadata().build()).create();
    ClusterFixture f = new ClusterFixture(cp.admin(), "e2e-kill");
    f.realApiServer = true;
    f.createServicesAndRoute();
    List<String> weights = Collections.synchronizedList(new ArrayList<>());
    try (ControllerProcess controller = new ControllerProcess(cp).start();
        var watch = f.client.resources(HTTPRoute.class).inNamespace("e2e-kill").withName("demo").watch(new Watcher<>() {
          public void eventReceived(Action a, HTTPRoute r) {
            var refs = r.getSpec().getRules().get(0).getBackendRefs();
            String w = refs.get(0).getWeight() + "/" + refs.get(1).getWeight();
            if (weights.isEmpty() || !weights.get(weights.size() - 1).equals(w)) weights.add(w);
          }

          public void onClose(WatcherException e) {}
        })) {
      f.client.resource(f.rollout("kill:1", CanaryStep.weight(20), CanaryStep.pause("15s"), CanaryStep.weight(50),
          CanaryStep.pause("3s"), CanaryStep.weight(80))).create();
      List<String> trace = new ArrayList<>();
      RolloutStatus s = ControllerE2ETest.await(f, st -> st.state() == RevisionState.Stable, Duration.ofSeconds(120), trace);
      String v1 = s.stableRevision();
      weights.clear();

      f.newImage("kill:2");
      s = ControllerE2ETest.await(f, st -> st.state() == RevisionState.Paused && Integer.valueOf(1).equals(st.currentStepIndex()),
          Duration.ofSeconds(60), trace);
      long pid = controller.pid();
      controller.kill();
      System.out.println("  SIGKILLed controller pid " + pid + " at step " + s.currentStepIndex() + " (" + s.message() + ")");
      assertFalse(controller.alive());
      LocalControlPlane.sleep(2000);
      RolloutStatus whileDown = f.get().getStatus();
      assertEquals(s, whileDown, "nothing moves while the controller is down");
      assertEquals(20, f.weights()[1], "traffic stays where it was");

      controller.start();
      System.out.println("  restarted controller pid " + controller.pid());
      List<Integer> stepsAfter = new ArrayList<>();
      s = ControllerE2ETest.await(f, st -> {
        if (st.currentStepIndex() != null) stepsAfter.add(st.currentStepIndex());
        return st.state() == RevisionState.Stable && !v1.equals(st.stableRevision()) && st.canaryRevision() == null;
      }, Duration.ofSeconds(120), trace);
      assertTrue(stepsAfter.stream().allMatch(i -> i >= 1), "resumed at step 1 or later, never restarted: " + stepsAfter);
      LocalControlPlane.sleep(500);
      assertEquals(List.of("80/20", "50/50", "20/80", "100/0"), weights, "each weight written once, in order: " + trace);

      String v2 = s.stableRevision();
      List<Event> transitions = f.client.v1().events().inNamespace("e2e-kill").list().getItems().stream()
          .filter(e -> e.getReason().startsWith("Transition") && e.getMessage().startsWith(v2 + ":")).toList();
      Map<String, Long> byMessage = transitions.stream().collect(Collectors.groupingBy(Event::getMessage, Collectors.counting()));
      System.out.println("  transitions of " + v2 + ": " + transitions.stream().map(Event::getReason).toList());
      assertTrue(byMessage.values().stream().allMatch(n -> n == 1), "no transition recorded twice: " + byMessage);
      Map<String, Long> byReason = transitions.stream().collect(Collectors.groupingBy(Event::getReason, Collectors.counting()));
      assertEquals(1L, byReason.get("TransitionPromoted"), byReason.toString());
      assertEquals(1L, byReason.get("TransitionStable"), byReason.toString());
    }
  }
}
