package dev.slipway.e2e.cluster;

/** What every controller scenario needs on its cluster: Slipway's CRDs, Gateway API's, and the shipped RBAC. */
public final class Stacks {
  private Stacks() {}

  public static Cluster prepare(Cluster cp) {
    Crds.installSlipway(cp.admin());
    Crds.installGatewayApi(cp.admin());
    Kubectl.Result rbac = new Kubectl(cp.adminKubeconfig()).run(null, "apply", "-f",
        Crds.repoRoot().resolve("samples/install/rbac.yaml").toString());
    if (rbac.exit() != 0) {
      throw new IllegalStateException("applying samples/install/rbac.yaml failed: " + rbac.out());
    }
    return cp;
  }
}
