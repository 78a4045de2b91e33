package dev.slipway.controller.reconcile;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.api.v1alpha1.CanaryStep;
import dev.slipway.api.v1alpha1.Phase;
import dev.slipway.api.v1alpha1.RequestAction;
import dev.slipway.api.v1alpha1.RevisionState;
import dev.slipway.api.v1alpha1.Rollout;
import dev.slipway.api.v1alpha1.RolloutSpec;
import dev.slipway.api.v1alpha1.RolloutStatus;
import dev.slipway.api.v1alpha1.WorkloadRef;
import dev.slipway.controller.kube.Labels;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Reconciler scenarios written once and run on any API server: fabric8's mock server for speed, a
 * real kube-apiserver for proof.
 */
public final class ReconcilerScenarios {
  private ReconcilerScenarios() {}

  static RolloutStatus passUntil(
      ClusterFixture f, int max, Predicate<RolloutStatus> done, List<String> trace) {
    for (int i = 0; i < max; i++) {
      f.pass();
      RolloutStatus s = f.get().getStatus();
      int[] w = f.weights();
      Integer canaryReplicas = canaryReplicas(f, s);
      trace.add(
          s.state()
              + " step="
              + s.currentStepIndex()
              + " w="
              + w[0]
              + "/"
              + w[1]
              + " canaryPods="
              + canaryReplicas);
      // The invariant that matters most: a canary never loses pods while it still has traffic.
      assertFalse(
          canaryReplicas != null && canaryReplicas == 0 && w[1] > 0,
          "canary scaled down with weight " + w[1] + ": " + trace);
      if (done.test(s)) {
        return s;
      }
    }
    throw new AssertionError("did not converge: " + trace);
  }

  private static Integer canaryReplicas(ClusterFixture f, RolloutStatus s) {
    if (s == null || s.canaryRevision() == null) {
      return null;
    }
    ReplicaSet rs =
        f.client
            .apps()
            .replicaSets()
            .inNamespace(f.ns)
            .withName("demo-" + s.canaryRevision())
            .get();
    return rs == null ? null : rs.getSpec().getReplicas();
  }

  static Rollout deployStable(ClusterFixture f, CanaryStep... steps) {
    f.createServicesAndRoute();
    f.client.resource(f.rollout("demo:1", steps)).create();
    RolloutStatus s =
        passUntil(f, 10, st -> st != null && st.state() == RevisionState.Stable, new ArrayList<>());
    assertEquals(Phase.Healthy, s.phase());
    assertArrayEquals(new int[] {100, 0}, f.weights());
    return f.get();
  }

  public static void threeStepCanaryReachesStable(ClusterFixture f) {
    Rollout stable =
        deployStable(f, CanaryStep.weight(20), CanaryStep.weight(50), CanaryStep.weight(80));
    String untouched = f.untouchedParts();
    String v1 = stable.getStatus().stableRevision();
    f.newImage("demo:2");

    List<String> trace = new ArrayList<>();
    List<String> weightsSeen = new ArrayList<>();
    RolloutStatus s = null;
    for (int i = 0; i < 30; i++) {
      s = passUntil(f, 1, x -> true, trace);
      int[] w = f.weights();
      String pair = w[0] + "/" + w[1];
      if (weightsSeen.isEmpty() || !weightsSeen.get(weightsSeen.size() - 1).equals(pair)) {
        weightsSeen.add(pair);
      }
      assertEquals(untouched, f.untouchedParts(), "unmanaged route parts changed after " + trace);
      if (s.state() == RevisionState.Stable) {
        break;
      }
    }
    assertEquals(RevisionState.Stable, s.state(), trace.toString());
    assertEquals(Phase.Healthy, s.phase());
    assertEquals(
        List.of("100/0", "80/20", "50/50", "20/80", "100/0"), weightsSeen, trace.toString());
    assertTrue(!s.stableRevision().equals(v1));
    assertEquals(
        0,
        f.client
            .apps()
            .replicaSets()
            .inNamespace(f.ns)
            .withName("demo-" + v1)
            .get()
            .getSpec()
            .getReplicas());
    assertEquals(
        4,
        f.client
            .apps()
            .replicaSets()
            .inNamespace(f.ns)
            .withName("demo-" + s.stableRevision())
            .get()
            .getSpec()
            .getReplicas());
    assertEquals(
        s.stableRevision(),
        f.client
            .services()
            .inNamespace(f.ns)
            .withName("demo-stable")
            .get()
            .getSpec()
            .getSelector()
            .get(Labels.POD_TEMPLATE_HASH));
    assertEquals(
        "demo",
        f.client
            .services()
            .inNamespace(f.ns)
            .withName("demo-stable")
            .get()
            .getSpec()
            .getSelector()
            .get("app"),
        "the user's selector key is kept");
    assertEquals(f.get().getMetadata().getGeneration(), s.observedGeneration());
    assertTrue(events(f).contains("TransitionStable"), events(f).toString());
  }

  public static void abortRollsBackTrafficBeforeScale(ClusterFixture f) {
    deployStable(f, CanaryStep.weight(20), CanaryStep.pause(null), CanaryStep.weight(50));
    String untouched = f.untouchedParts();
    f.newImage("demo:bad");
    List<String> trace = new ArrayList<>();
    RolloutStatus s = passUntil(f, 20, st -> st.state() == RevisionState.Paused, trace);
    assertArrayEquals(new int[] {80, 20}, f.weights());
    String canary = s.canaryRevision();

    f.gatewayAccepts = false; // the gateway is slow to accept weight 0
    f.request("Abort");
    s = passUntil(f, 1, x -> true, trace);
    assertEquals(RevisionState.RolledBack, s.state());
    assertEquals(Phase.Degraded, s.phase());
    assertArrayEquals(new int[] {100, 0}, f.weights());
    assertTrue(
        replicasOf(f, canary) > 0,
        "weight 0 not yet accepted, so the canary keeps its pods: " + trace);
    assertNotNull(s.lastAction());
    assertEquals(RequestAction.Abort, s.lastAction().action());
    if (f.realApiServer) {
      assertNotNull(
          s.lastAction().fieldManager(), "a real API server records who wrote the request");
      assertNotNull(s.lastAction().requestedAt());
    }

    f.gatewayAccepts = true;
    f.acceptRoute();
    s = passUntil(f, 5, st -> replicasOf(f, canary) == 0, trace);
    assertEquals(RevisionState.RolledBack, s.state());
    assertEquals(
        s.stableRevision(),
        f.client
            .services()
            .inNamespace(f.ns)
            .withName("demo-canary")
            .get()
            .getSpec()
            .getSelector()
            .get(Labels.POD_TEMPLATE_HASH));
    assertEquals(untouched, f.untouchedParts());
    assertTrue(events(f).contains("TransitionRolledBack"), events(f).toString());
    assertTrue(events(f).contains("ManualAbort"), events(f).toString());
    assertTrue(s.message().startsWith("rolled back: aborted by"), s.message());
  }

  static int replicasOf(ClusterFixture f, String revision) {
    return f.client
        .apps()
        .replicaSets()
        .inNamespace(f.ns)
        .withName("demo-" + revision)
        .get()
        .getSpec()
        .getReplicas();
  }

  static List<String> events(ClusterFixture f) {
    return f.client.v1().events().inNamespace(f.ns).list().getItems().stream()
        .map(e -> e.getReason())
        .toList();
  }

  /**
   * spec.workloadRef without spec.template: admitted (the CRD's rule wants one or the other, and a
   * real API server refuses neither), the Deployment's pod template is what runs, the stored
   * Rollout never gets a copy, and a change to the Deployment's template starts a canary of it.
   */
  public static void workloadTemplateComesFromTheDeployment(ClusterFixture f) {
    f.createServicesAndRoute();
    legacyDeployment(f, "legacy:1");
    RolloutSpec spec =
        ClusterFixture.spec("unused:0", CanaryStep.weight(20), CanaryStep.pause(null));
    if (f.realApiServer) {
      var refused =
          assertThrows(
              KubernetesClientException.class,
              () ->
                  f.client
                      .resource(ClusterFixture.withName(spec.withTemplate(null), "neither", f.ns))
                      .create());
      assertTrue(
          refused.getMessage().contains("has(self.template) || has(self.workloadRef)")
              || refused.getMessage().contains("workloadRef"),
          refused.getMessage());
    }
    f.client
        .resource(
            ClusterFixture.withName(
                spec.withTemplate(null)
                    .withWorkloadRef(new WorkloadRef(WorkloadRef.Kind.Deployment, "legacy")),
                "demo",
                f.ns))
        .create();
    List<String> trace = new ArrayList<>();
    RolloutStatus s =
        passUntil(f, 20, st -> st != null && st.state() == RevisionState.Stable, trace);
    assertEquals(List.of("legacy:1"), images(f), String.valueOf(trace));
    assertNull(f.get().getSpec().template(), "the stored Rollout never gets the template");

    String v1 = s.stableRevision();
    legacyDeployment(f, "legacy:2");
    s = passUntil(f, 10, st -> st.canaryRevision() != null, trace);
    assertNotEquals(v1, s.canaryRevision(), "a new Deployment template is a new revision");
    assertTrue(
        images(f).contains("legacy:2"), "the canary runs the Deployment's new template: " + trace);
  }

  /** The images of the ReplicaSets the Rollout made. */
  static List<String> images(ClusterFixture f) {
    return f.client.apps().replicaSets().inNamespace(f.ns).list().getItems().stream()
        .filter(rs -> rs.getMetadata().getLabels().containsKey(Labels.POD_TEMPLATE_HASH))
        .map(rs -> rs.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
        .toList();
  }

  /**
   * A Deployment "legacy" (pods app=demo) running {@code image}, consenting to adoption by the
   * Rollout "demo", created or updated.
   */
  static void legacyDeployment(ClusterFixture f, String image) {
    legacyDeployment(f.client, f.ns, "demo", "demo", image);
  }

  /**
   * A Deployment "legacy" with 3 replicas of pods app={@code podApp} running {@code image}, whose
   * annotation lets Rollout {@code adoptBy} adopt it (none when null), created or updated.
   */
  static void legacyDeployment(
      KubernetesClient client, String ns, String adoptBy, String podApp, String image) {
    var meta = new DeploymentBuilder().withNewMetadata().withName("legacy").withNamespace(ns);
    if (adoptBy != null) meta = meta.addToAnnotations(ObservationReader.ADOPT_BY, adoptBy);
    client
        .resource(
            meta.endMetadata()
                .withNewSpec()
                .withReplicas(3)
                .withNewSelector()
                .addToMatchLabels("app", podApp)
                .endSelector()
                .withNewTemplate()
                .withNewMetadata()
                .addToLabels("app", podApp)
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("app")
                .withImage(image)
                .endContainer()
                .endSpec()
                .endTemplate()
                .endSpec()
                .build())
        .createOr(x -> x.update());
  }
}
