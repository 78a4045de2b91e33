package dev.slipway.e2e.bench;

import dev.slipway.e2e.Prerequisites;
import dev.slipway.e2e.cluster.Cluster;
import dev.slipway.e2e.cluster.Clusters;
import dev.slipway.e2e.cluster.Stacks;
import dev.slipway.e2e.gateway.StandInGateway;
import dev.slipway.e2e.workload.ControllerProcess;

/**
 * What each benchmark runs on: a KWOK cluster with Slipway installed, the stand-in gateway, and the
 * controller in its own JVM.
 */
final class BenchStack implements AutoCloseable {
  final Cluster cluster;
  final StandInGateway gateway;
  final ControllerProcess controller;
  final ControllerProbe probe;

  BenchStack(String controllerName) {
    cluster = Clusters.withNodes();
    Prerequisites.kwokPods(cluster, "the benchmark's Rollouts use made-up images");
    Stacks.prepare(cluster);
    gateway = new StandInGateway(cluster.admin());
    controller = new ControllerProcess(cluster, controllerName).startAsShipped();
    probe = new ControllerProbe(controller);
  }

  @Override
  public void close() throws Exception {
    try (Cluster c = cluster;
        StandInGateway g = gateway;
        ControllerProcess p = controller) {
      // Closed in reverse order: controller, gateway, cluster.
    }
  }
}
