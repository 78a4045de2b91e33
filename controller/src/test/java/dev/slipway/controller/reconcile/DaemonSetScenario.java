package dev.slipway.controller.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.api.v1alpha1.CanaryStep;
import dev.slipway.api.v1alpha1.Condition;
import dev.slipway.api.v1alpha1.RolloutSpec;
import dev.slipway.api.v1alpha1.RolloutStatus;
import dev.slipway.api.v1alpha1.WorkloadRef;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;

/**
 * A DaemonSet named by a Rollout (issue 29) that its own controller would update by RollingUpdate
 * is refused with a condition, and nothing of it, or of its Services, is written. The walk itself
 * needs a DaemonSet controller and nodes: ControllerE2ETest runs it on KWOK nodes. Written once,
 * run on the mock and a real API server.
 */
public final class DaemonSetScenario {
  private DaemonSetScenario() {}

  public static void rollingUpdateIsRefused(ClusterFixture f) {
    f.createServicesAndRoute();
    DaemonSet ds = f.client.resource(daemonSet(f.ns, null)).create();
    RolloutSpec spec =
        ClusterFixture.spec("unused:0", CanaryStep.pause(null))
            .withTemplate(null)
            .withReplicas(null)
            .withWorkloadRef(new WorkloadRef(WorkloadRef.Kind.DaemonSet, "agent"));
    f.client.resource(ClusterFixture.withName(spec, "demo", f.ns)).create();
    f.pass();
    f.pass();
    RolloutStatus s = f.get().getStatus();
    Condition c =
        s.conditionsOrEmpty().stream()
            .filter(x -> x.type().equals("WorkloadRefused"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no WorkloadRefused: " + s));
    assertTrue(c.message().contains("updateStrategy RollingUpdate"), c.message());
    assertTrue(c.message().contains("set updateStrategy.type OnDelete"), c.message());
    DaemonSet live = f.client.apps().daemonSets().inNamespace(f.ns).withName("agent").get();
    assertEquals(
        ds.getMetadata().getResourceVersion(),
        live.getMetadata().getResourceVersion(),
        "nothing written to it");
    assertEquals(
        "app=demo", StatefulSetScenario.selectorOf(f, "demo-stable"), "nor to its Services");
  }

  static DaemonSet daemonSet(String ns, String strategy) {
    return new DaemonSetBuilder()
        .withNewMetadata()
        .withName("agent")
        .withNamespace(ns)
        .addToAnnotations(ObservationReader.ADOPT_BY, "demo")
        .endMetadata()
        .withNewSpec()
        .withNewSelector()
        .addToMatchLabels("app", "demo")
        .endSelector()
        .withNewUpdateStrategy()
        .withType(strategy)
        .endUpdateStrategy()
        .withNewTemplate()
        .withNewMetadata()
        .addToLabels("app", "demo")
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("app")
        .withImage("demo:1")
        .endContainer()
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }
}
