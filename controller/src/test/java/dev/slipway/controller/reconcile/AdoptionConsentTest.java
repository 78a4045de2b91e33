package dev.slipway.controller.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.api.v1alpha1.CanaryStep;
import dev.slipway.api.v1alpha1.Rollout;
import dev.slipway.api.v1alpha1.RolloutSpec;
import dev.slipway.api.v1alpha1.WorkloadRef;
import dev.slipway.controller.kube.Labels;
import dev.slipway.controller.testing.MockCluster;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Why a Deployment may not be adopted, as the reader finds it (the decider then writes nothing).
 */
class AdoptionConsentTest {
  static void deployment(MockCluster m, String adoptBy, String podApp) {
    ReconcilerScenarios.legacyDeployment(m.client, "team", adoptBy, podApp, "legacy:1");
  }

  static Rollout adopting() {
    RolloutSpec s = ClusterFixture.spec("app:1", CanaryStep.weight(20));
    return ClusterFixture.withName(
        new RolloutSpec(
            s.replicas(),
            s.selector(),
            s.template(),
            null,
            600,
            null,
            s.strategy(),
            new WorkloadRef(WorkloadRef.Kind.Deployment, "legacy")),
        "demo",
        "team");
  }

  @Test
  void consentAServiceThatSelectsItsPodsAndNoOlderClaimAreEachNeeded() {
    try (MockCluster m = new MockCluster()) {
      m.client
          .services()
          .inNamespace("team")
          .resource(
              new ServiceBuilder()
                  .withNewMetadata()
                  .withName("demo-stable")
                  .endMetadata()
                  .withNewSpec()
                  .addToSelector("app", "demo")
                  .addToSelector(Labels.POD_TEMPLATE_HASH, "abc")
                  .addNewPort()
                  .withPort(80)
                  .endPort()
                  .endSpec()
                  .build())
          .create();
      ObservationReader reader = new ObservationReader(m.client, null, null);
      deployment(m, null, "demo");
      String why = reader.workload(adopting(), List.of()).refusal();
      assertEquals(
          "Deployment team/legacy has not consented to adoption: whoever owns it annotates it slipway.dev/adopt-by=demo;"
              + " it is left untouched",
          why);
      deployment(m, "someone-else", "demo");
      assertTrue(
          reader.workload(adopting(), List.of()).refusal().contains("(it names someone-else)"));
      deployment(m, "demo", "other");
      why = reader.workload(adopting(), List.of()).refusal();
      assertTrue(
          why.startsWith(
              "Service team/demo-stable does not select Deployment team/legacy's pods (selector {app=demo}, pod labels {app=other})"),
          why);
      deployment(m, "demo", "demo");
      assertNull(
          reader.workload(adopting(), List.of()).refusal(),
          "Slipway's own selector key does not count against it");
    }
  }
}
