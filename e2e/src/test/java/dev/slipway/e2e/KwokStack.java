package dev.slipway.e2e;

import dev.slipway.controller.reconcile.ClusterFixture;
import dev.slipway.e2e.cluster.ClusterLease;
import dev.slipway.e2e.cluster.SharedClusters;
import dev.slipway.e2e.gateway.StandInGateway;
import dev.slipway.e2e.tools.Kubectl;
import dev.slipway.e2e.workload.ControllerUnderTest;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;

/**
 * What the in-process controller scenarios run on: the shared KWOK cluster with Slipway's CRDs and
 * RBAC (each class's namespaces are deleted when it closes), the controller as its own
 * ServiceAccount, and the stand-in gateway. Their Rollouts use made-up images that only KWOK pods
 * run, so they skip elsewhere.
 */
final class KwokStack implements AutoCloseable {
  final ClusterLease cp;
  final Kubectl kubectl;
  final ControllerUnderTest controller;
  final StandInGateway gateway;

  /** On the shared KWOK cluster of this lane ({@link Lanes}); the class holds the lane's lock. */
  KwokStack(String lane) {
    cp = SharedClusters.withNodes(lane);
    Prerequisites.kwokPods(cp, "its Rollouts use made-up images that only KWOK pods run");
    kubectl = new Kubectl(cp.adminKubeconfig());
    controller = ControllerUnderTest.start(cp);
    gateway = new StandInGateway(cp.admin());
  }

  /** A fresh namespace and a fixture for it (no Services or route yet). */
  ClusterFixture namespace(String ns) {
    cp.admin()
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
        .create();
    ClusterFixture f = new ClusterFixture(cp.admin(), ns);
    f.realApiServer = true;
    return f;
  }

  @Override
  public void close() {
    gateway.close();
    controller.close();
    cp.close();
  }
}
