package dev.slipway.controller.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.api.v1alpha1.CanaryStep;
import dev.slipway.api.v1alpha1.Condition;
import dev.slipway.api.v1alpha1.RevisionState;
import dev.slipway.api.v1alpha1.RolloutSpec;
import dev.slipway.api.v1alpha1.RolloutStatus;
import dev.slipway.api.v1alpha1.SetCanaryScale;
import dev.slipway.api.v1alpha1.WorkloadRef;
import dev.slipway.controller.kube.FieldOwners;
import dev.slipway.controller.kube.Labels;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatusBuilder;
import java.util.ArrayList;
import java.util.List;

/**
 * A StatefulSet walked in place (issue 29), with the test as its controller (no
 * kube-controller-manager here): the Rollout holds the partition at spec.replicas once stable,
 * lowers it by one ordinal for a new revision, points its Services by controller-revision-hash, and
 * on an abort raises it again and replaces the updated pod through the Eviction API. One that
 * updates OnDelete is refused with a condition, and nothing of it is written. Written once, run on
 * the mock and a real API server.
 */
public final class StatefulSetScenario {
  private StatefulSetScenario() {}

  public static void walkedInPlace(ClusterFixture f) {
    f.createServicesAndRoute();
    StatefulSet sts = f.client.resource(statefulSet(f.ns, "RollingUpdate")).create();
    status(f, "db-1", "db-1");
    for (int i = 0; i < 3; i++) pod(f, sts, i, "db-1");
    RolloutSpec spec =
        ClusterFixture.spec(
                "unused:0",
                CanaryStep.scale(new SetCanaryScale(1, null, null)),
                CanaryStep.pause(null))
            .withTemplate(null)
            .withReplicas(null)
            .withWorkloadRef(new WorkloadRef(WorkloadRef.Kind.StatefulSet, "db"));
    f.client.resource(ClusterFixture.withName(spec, "demo", f.ns)).create();
    List<String> trace = new ArrayList<>();
    RolloutStatus s =
        ReconcilerScenarios.passUntil(
            f, 20, st -> st != null && st.state() == RevisionState.Stable, trace);
    assertEquals("db-1", s.stableRevision());
    assertEquals(3, partition(f), "held at spec.replicas: " + trace);
    assertEquals("3/3 ordinals [0, 1, 2], partition 3", s.updated());
    assertEquals("db-1", selects(f, "demo-stable"));
    if (f.realApiServer) {
      StatefulSet live = f.client.apps().statefulSets().inNamespace(f.ns).withName("db").get();
      assertTrue(
          FieldOwners.of(live, "f:spec", "f:updateStrategy", "f:rollingUpdate", "f:partition")
              .contains(Labels.FIELD_MANAGER),
          "the partition is Slipway's field: " + live.getMetadata().getManagedFields());
    }

    // Argo CD applies a new template; its controller names the revision db-2.
    status(f, "db-1", "db-2");
    f.pass();
    assertEquals(2, partition(f), "one ordinal, the highest");
    // Its controller updates ordinal 2.
    f.client.pods().inNamespace(f.ns).withName("db-2").delete();
    pod(f, sts, 2, "db-2");
    s = ReconcilerScenarios.passUntil(f, 20, st -> st.state() == RevisionState.Paused, trace);
    assertEquals("db-2", s.canaryRevision());
    assertEquals("1/3 ordinals [2], partition 2", s.updated());
    assertEquals("db-2", selects(f, "demo-canary"));
    assertEquals("db-1", selects(f, "demo-stable"));

    f.request("Abort");
    s =
        ReconcilerScenarios.passUntil(
            f,
            20,
            st ->
                st.state() == RevisionState.RolledBack
                    && (f.client.pods().inNamespace(f.ns).withName("db-2").get() == null
                        // The mock's Eviction API answers 409 (it keeps no uids): the pass
                        // says which pod it tried.
                        || !f.realApiServer && st.message().contains("pod db-2 ")),
            trace);
    assertEquals(3, partition(f), "raised above the updated ordinal");
    assertTrue(
        f.client.pods().inNamespace(f.ns).withName("db-0").get() != null
            && f.client.pods().inNamespace(f.ns).withName("db-1").get() != null,
        "ordinals 0 and 1 untouched");
    assertEquals("db-1", selects(f, "demo-canary"), "both Services on the stable revision");
    assertTrue(
        f.client.apps().replicaSets().inNamespace(f.ns).list().getItems().isEmpty(),
        "no ReplicaSet of ours for a StatefulSet");
  }

  public static void onDeleteIsRefused(ClusterFixture f) {
    f.createServicesAndRoute();
    StatefulSet sts = f.client.resource(statefulSet(f.ns, "OnDelete")).create();
    status(f, "db-1", "db-1");
    for (int i = 0; i < 3; i++) pod(f, sts, i, "db-1");
    RolloutSpec spec =
        ClusterFixture.spec("unused:0", CanaryStep.pause(null))
            .withTemplate(null)
            .withReplicas(null)
            .withWorkloadRef(new WorkloadRef(WorkloadRef.Kind.StatefulSet, "db"));
    f.client.resource(ClusterFixture.withName(spec, "demo", f.ns)).create();
    f.pass();
    f.pass();
    RolloutStatus s = f.get().getStatus();
    Condition c =
        s.conditionsOrEmpty().stream()
            .filter(x -> x.type().equals("WorkloadRefused"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no WorkloadRefused: " + s));
    assertTrue(c.message().contains("updateStrategy OnDelete"), c.message());
    assertNull(
        f.client
            .apps()
            .statefulSets()
            .inNamespace(f.ns)
            .withName("db")
            .get()
            .getSpec()
            .getUpdateStrategy()
            .getRollingUpdate(),
        "nothing written to it");
    assertEquals("app=demo", selectorOf(f, "demo-stable"), "nor to its Services");
  }

  static StatefulSet statefulSet(String ns, String strategy) {
    return new StatefulSetBuilder()
        .withNewMetadata()
        .withName("db")
        .withNamespace(ns)
        .addToAnnotations(ObservationReader.ADOPT_BY, "demo")
        .endMetadata()
        .withNewSpec()
        .withReplicas(3)
        .withServiceName("db")
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

  /** What the StatefulSet controller reports. */
  static void status(ClusterFixture f, String current, String update) {
    StatefulSet live = f.client.apps().statefulSets().inNamespace(f.ns).withName("db").get();
    live.setStatus(
        new StatefulSetStatusBuilder()
            .withReplicas(3)
            .withCurrentRevision(current)
            .withUpdateRevision(update)
            .withObservedGeneration(live.getMetadata().getGeneration())
            .build());
    f.client.apps().statefulSets().resource(live).updateStatus();
  }

  /**
   * A pod of ordinal {@code i} on {@code revision}, Ready, as its controller and kubelet make it.
   */
  static void pod(ClusterFixture f, StatefulSet sts, int i, String revision) {
    if (f.client.serviceAccounts().inNamespace(f.ns).withName("default").get() == null) {
      // No kube-controller-manager makes it here, and a pod needs its service account.
      f.client
          .serviceAccounts()
          .inNamespace(f.ns)
          .resource(
              new ServiceAccountBuilder()
                  .withNewMetadata()
                  .withName("default")
                  .endMetadata()
                  .build())
          .create();
    }
    var p =
        f.client
            .pods()
            .inNamespace(f.ns)
            .resource(
                new PodBuilder()
                    .withNewMetadata()
                    .withName("db-" + i)
                    .addToLabels("app", "demo")
                    .addToLabels(Labels.CONTROLLER_REVISION_HASH, revision)
                    .addNewOwnerReference()
                    .withApiVersion("apps/v1")
                    .withKind("StatefulSet")
                    .withName("db")
                    .withUid(sts.getMetadata().getUid())
                    .withController(true)
                    .endOwnerReference()
                    .endMetadata()
                    .withNewSpec()
                    .addNewContainer()
                    .withName("app")
                    .withImage("demo:1")
                    .endContainer()
                    .endSpec()
                    .build())
            .create();
    p.setStatus(
        new PodStatusBuilder()
            .addNewCondition()
            .withType("Ready")
            .withStatus("True")
            .endCondition()
            .build());
    f.client.pods().inNamespace(f.ns).resource(p).updateStatus();
  }

  static int partition(ClusterFixture f) {
    return StatefulSets.partition(
        f.client.apps().statefulSets().inNamespace(f.ns).withName("db").get());
  }

  static String selects(ClusterFixture f, String service) {
    return f.client
        .services()
        .inNamespace(f.ns)
        .withName(service)
        .get()
        .getSpec()
        .getSelector()
        .get(Labels.CONTROLLER_REVISION_HASH);
  }

  static String selectorOf(ClusterFixture f, String service) {
    var sel = f.client.services().inNamespace(f.ns).withName(service).get().getSpec().getSelector();
    return String.join(
        ",", sel.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).sorted().toList());
  }
}
