package dev.slipway.e2e.demo;

import dev.slipway.e2e.cluster.Crds;
import dev.slipway.e2e.cluster.LocalControlPlane;

/** Brings up the local control plane with CRDs and waits; for poking at it with kubectl. */
public final class ClusterOnly {
  private ClusterOnly() {}

  public static void main(String[] args) throws InterruptedException {
    try (LocalControlPlane cp = LocalControlPlane.withNodes()) {
      Crds.installSlipway(cp.admin());
      Crds.installGatewayApi(cp.admin());
      System.out.println(cp.describe());
      System.out.println("export KUBECONFIG=" + cp.adminKubeconfig());
      Thread.sleep(Long.parseLong(args.length > 0 ? args[0] : "600") * 1000);
    }
  }
}
