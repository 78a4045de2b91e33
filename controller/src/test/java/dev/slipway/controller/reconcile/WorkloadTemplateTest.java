package dev.slipway.controller.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.api.v1alpha1.CanaryStep;
import dev.slipway.api.v1alpha1.RevisionState;
import dev.slipway.api.v1alpha1.Rollout;
import dev.slipway.api.v1alpha1.RolloutSpec;
import dev.slipway.api.v1alpha1.RolloutStatus;
import dev.slipway.api.v1alpha1.WorkloadRef;
import dev.slipway.controller.kube.Labels;
import dev.slipway.controller.testing.MockCluster;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * spec.workloadRef without spec.template: the Rollout runs the Deployment's pod template, a change
 * to the Deployment's template starts a canary, and without a Deployment nothing is done.
 */
class WorkloadTemplateTest {
  static final String NS = "team";

  static Rollout fromDeployment() {
    RolloutSpec s = ClusterFixture.spec("unused:0", CanaryStep.weight(20), CanaryStep.pause(null));
    return ClusterFixture.withName(
        s.withTemplate(null)
            .withWorkloadRef(new WorkloadRef(WorkloadRef.Kind.Deployment, "legacy")),
        "demo",
        NS);
  }

  static String image(ReplicaSet rs) {
    return rs.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
  }

  static List<ReplicaSet> ours(MockCluster m) {
    return m.client.apps().replicaSets().inNamespace(NS).list().getItems().stream()
        .filter(rs -> rs.getMetadata().getLabels().containsKey(Labels.POD_TEMPLATE_HASH))
        .toList();
  }

  static void setDeploymentImage(MockCluster m, String image) {
    m.client
        .apps()
        .deployments()
        .inNamespace(NS)
        .withName("legacy")
        .edit(
            d -> {
              d.getSpec().getTemplate().getSpec().getContainers().get(0).setImage(image);
              return d;
            });
  }

  @Test
  void theDeploymentsTemplateIsRunAndItsChangeStartsACanary() {
    try (MockCluster m = new MockCluster()) {
      ClusterFixture f = new ClusterFixture(m.client, NS);
      f.createServicesAndRoute();
      AdoptionConsentTest.deployment(m, "demo", "demo");
      m.client.resource(fromDeployment()).create();
      RolloutStatus s = null;
      for (int i = 0; i < 20 && (s == null || s.state() != RevisionState.Stable); i++) {
        s = f.pass().status();
      }
      assertEquals(RevisionState.Stable, s.state(), String.valueOf(s));
      assertEquals(List.of("legacy:1"), ours(m).stream().map(WorkloadTemplateTest::image).toList());
      assertNull(f.get().getSpec().template(), "the stored Rollout never gets the template");

      String v1 = s.stableRevision();
      setDeploymentImage(m, "legacy:2");
      for (int i = 0; i < 10 && s.canaryRevision() == null; i++) {
        s = f.pass().status();
      }
      assertNotNull(s.canaryRevision(), "a new Deployment template is a new revision: " + s);
      assertNotEquals(v1, s.canaryRevision());
      assertTrue(
          ours(m).stream().anyMatch(rs -> image(rs).equals("legacy:2")),
          "the canary runs the Deployment's new template");
    }
  }

  @Test
  void withoutTheDeploymentThereIsNoTemplateAndNothingIsDone() {
    try (MockCluster m = new MockCluster()) {
      ClusterFixture f = new ClusterFixture(m.client, NS);
      f.createServicesAndRoute();
      m.client.resource(fromDeployment()).create();
      var result = f.pass();
      RolloutStatus s = result.status();
      assertTrue(
          s.message().contains("there is no pod template to run"), String.valueOf(s.message()));
      assertTrue(ours(m).isEmpty(), "no ReplicaSet without a template");
      assertEquals(WorkloadTemplates.POLL, result.requeueAfter());
    }
  }
}
