package dev.slipway.controller.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.slipway.controller.testing.MockCluster;
import java.util.List;
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
      // Its current revision stayed the stable one throughout: nothing to write back, so no pass
      // lists its ControllerRevisions.
      List<String> listed =
          m.takePaths().stream().filter(p -> p.contains("/controllerrevisions")).toList();
      assertEquals(List.of(), listed);
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
