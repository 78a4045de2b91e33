package dev.slipway.controller.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.api.v1alpha1.CanaryStep;
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

  static List<ReplicaSet> ours(MockCluster m) {
    return m.client.apps().replicaSets().inNamespace(NS).list().getItems().stream()
        .filter(rs -> rs.getMetadata().getLabels().containsKey(Labels.POD_TEMPLATE_HASH))
        .toList();
  }

  @Test
  void theDeploymentsTemplateIsRunAndItsChangeStartsACanary() {
    try (MockCluster m = new MockCluster()) {
      ReconcilerScenarios.workloadTemplateComesFromTheDeployment(new ClusterFixture(m.client, NS));
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
