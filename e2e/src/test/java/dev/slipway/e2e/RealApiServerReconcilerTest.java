package dev.slipway.e2e;

import dev.slipway.controller.notify.NotificationScenario;
import dev.slipway.controller.reconcile.ClusterFixture;
import dev.slipway.controller.reconcile.DaemonSetScenario;
import dev.slipway.controller.reconcile.GrpcRouteScenario;
import dev.slipway.controller.reconcile.ReconcilerScenarios;
import dev.slipway.controller.reconcile.StatefulSetScenario;
import dev.slipway.e2e.cluster.Cluster;
import dev.slipway.e2e.cluster.SharedClusters;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;

/** The same reconciler scenarios as on the mock server, against a real kube-apiserver. */
@ResourceLock(Lanes.API_ONLY)
@Order(6)
class RealApiServerReconcilerTest {
  static Cluster cp;

  @BeforeAll
  static void up() {
    cp = SharedClusters.apiOnly();
    System.out.println("cluster: " + cp.describe());
  }

  @AfterAll
  static void down() {
    if (cp != null) {
      cp.close();
    }
  }

  static ClusterFixture fixture(String ns) {
    cp.admin()
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
        .create();
    ClusterFixture f = new ClusterFixture(cp.admin(), ns);
    f.realApiServer = true;
    return f;
  }

  @Test
  void grpcRouteWeightsWalkTheSteps() {
    GrpcRouteScenario.weightsWalkTheSteps(fixture("grpc-route"));
  }

  @Test
  void aStatefulSetIsWalkedInPlace() {
    StatefulSetScenario.walkedInPlace(fixture("statefulset"));
  }

  @Test
  void aStatefulSetUpdatingOnDeleteIsRefused() {
    StatefulSetScenario.onDeleteIsRefused(fixture("statefulset-ondelete"));
  }

  @Test
  void aDaemonSetUpdatingByRollingUpdateIsRefused() {
    DaemonSetScenario.rollingUpdateIsRefused(fixture("daemonset-rolling"));
  }

  @Test
  void workloadTemplateComesFromTheDeployment() {
    ReconcilerScenarios.workloadTemplateComesFromTheDeployment(fixture("workload-ref"));
  }

  @Test
  void threeStepCanaryReachesStable() {
    ReconcilerScenarios.threeStepCanaryReachesStable(fixture("three-steps"));
  }

  @Test
  void notificationsArriveAtLeastOnceThroughAnOutageAndAreEvidence() throws Exception {
    if (cp.admin().namespaces().withName("slipway-system").get() == null) {
      cp.admin()
          .namespaces()
          .resource(
              new NamespaceBuilder()
                  .withNewMetadata()
                  .withName("slipway-system")
                  .endMetadata()
                  .build())
          .create();
    }
    NotificationScenario.everyEventArrivesAtLeastOnceAndEachDeliveryIsEvidence(fixture("notify"));
  }

  @Test
  void abortRollsBackTrafficBeforeScale() {
    ReconcilerScenarios.abortRollsBackTrafficBeforeScale(fixture("abort"));
  }
}
