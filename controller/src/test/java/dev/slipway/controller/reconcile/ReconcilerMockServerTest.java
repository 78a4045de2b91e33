package dev.slipway.controller.reconcile;

import dev.slipway.controller.testing.MockCluster;
import org.junit.jupiter.api.Test;

/** The reconciler on fabric8's CRUD mock server: fast, no cluster needed. */
class ReconcilerMockServerTest {

  @Test
  void threeStepCanaryReachesStable() {
    try (MockCluster m = new MockCluster()) {
      ReconcilerScenarios.threeStepCanaryReachesStable(new ClusterFixture(m.client));
    }
  }

  @Test
  void grpcRouteWeightsWalkTheSteps() {
    try (MockCluster m = new MockCluster()) {
      GrpcRouteScenario.weightsWalkTheSteps(new ClusterFixture(m.client));
    }
  }

  @Test
  void aStatefulSetIsWalkedInPlace() {
    try (MockCluster m = new MockCluster()) {
      StatefulSetScenario.walkedInPlace(new ClusterFixture(m.client));
    }
  }

  @Test
  void aStatefulSetUpdatingOnDeleteIsRefused() {
    try (MockCluster m = new MockCluster()) {
      StatefulSetScenario.onDeleteIsRefused(new ClusterFixture(m.client));
    }
  }

  @Test
  void aDaemonSetUpdatingByRollingUpdateIsRefused() {
    try (MockCluster m = new MockCluster()) {
      DaemonSetScenario.rollingUpdateIsRefused(new ClusterFixture(m.client));
    }
  }

  @Test
  void abortRollsBackTrafficBeforeScale() {
    try (MockCluster m = new MockCluster()) {
      ReconcilerScenarios.abortRollsBackTrafficBeforeScale(new ClusterFixture(m.client));
    }
  }
}
