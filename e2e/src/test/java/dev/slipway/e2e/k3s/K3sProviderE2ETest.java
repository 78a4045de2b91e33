package dev.slipway.e2e.k3s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.slipway.api.v1alpha1.Rollout;
import dev.slipway.controller.reconcile.ClusterFixture;
import dev.slipway.e2e.cluster.K3sCluster;
import dev.slipway.e2e.cluster.Stacks;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * The k3s provider (Testcontainers), where a Docker engine answers: k3s starts, takes Slipway's
 * CRDs, Gateway API's and the shipped RBAC, and accepts a Rollout. Machines without Docker (ours:
 * podman only) skip it; .ci/allowed-skips names that skip and why.
 */
@Order(9)
class K3sProviderE2ETest {
  @Test
  void k3sTakesTheCrdsAndARollout() {
    Assumptions.assumeTrue(
        K3sCluster.dockerAvailable(),
        "no Docker engine answers here, so Testcontainers cannot start k3s");
    try (K3sCluster k3s = K3sCluster.start()) {
      System.out.println("e2e cluster provider: " + k3s.describe());
      Stacks.prepare(k3s);
      k3s.admin()
          .namespaces()
          .resource(
              new NamespaceBuilder().withNewMetadata().withName("k3s-smoke").endMetadata().build())
          .create();
      Rollout r =
          k3s.admin()
              .resource(
                  ClusterFixture.withName(ClusterFixture.spec(1, "app:1"), "smoke", "k3s-smoke"))
              .create();
      assertNotNull(r.getMetadata().getUid());
      assertEquals(
          "smoke",
          k3s.admin()
              .resources(Rollout.class)
              .inNamespace("k3s-smoke")
              .withName("smoke")
              .get()
              .getMetadata()
              .getName());
    }
  }
}
