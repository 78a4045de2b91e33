package dev.slipway.controller.notify;

import dev.slipway.controller.reconcile.ClusterFixture;
import dev.slipway.controller.testing.MockCluster;
import org.junit.jupiter.api.Test;

/**
 * {@link NotificationScenario} on fabric8's mock server; RealApiServerReconcilerTest runs it on a
 * real one.
 */
class NotificationDeliveryTest {
  @Test
  void everyEventArrivesAtLeastOnceAndEachDeliveryIsEvidence() throws Exception {
    try (MockCluster cluster = new MockCluster()) {
      NotificationScenario.everyEventArrivesAtLeastOnceAndEachDeliveryIsEvidence(
          new ClusterFixture(cluster.client));
    }
  }
}
