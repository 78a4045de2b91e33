package dev.slipway.e2e.cluster;

import dev.slipway.e2e.tools.Kubectl;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import java.nio.file.Path;

/**
 * What every controller scenario needs on its cluster: Slipway's CRDs, Gateway API's, and the
 * shipped RBAC.
 */
public final class Stacks {
  private Stacks() {}

  public static Cluster prepare(Cluster cp) {
    Crds.installSlipway(cp.admin());
    Crds.installGatewayApi(cp.admin());
    Kubectl.Result rbac =
        new Kubectl(cp.adminKubeconfig())
            .run(
                null,
                "apply",
                "-f",
                Crds.repoRoot().resolve("samples/install/rbac.yaml").toString());
    if (rbac.exit() != 0) {
      throw new IllegalStateException("applying samples/install/rbac.yaml failed: " + rbac.out());
    }
    return cp;
  }

  /** What a namespace admin does to let the controller read analysis credentials in {@code ns}. */
  public static void grantAnalysisCredentials(Cluster cp, String ns) {
    Kubectl.Result r =
        new Kubectl(cp.adminKubeconfig())
            .run(
                null,
                "create",
                "rolebinding",
                "slipway-analysis-credentials",
                "-n",
                ns,
                "--clusterrole=slipway-controller-analysis-credentials",
                "--serviceaccount=slipway-system:slipway-controller");
    if (r.exit() != 0) {
      throw new IllegalStateException(
          "granting analysis credentials in " + ns + " failed: " + r.out());
    }
  }

  /**
   * A kubeconfig with a fresh token of the controller's ServiceAccount: it holds the shipped
   * ClusterRole's rights only.
   */
  public static Path controllerKubeconfig(Cluster cp) {
    String token =
        cp.admin()
            .serviceAccounts()
            .inNamespace("slipway-system")
            .withName("slipway-controller")
            .tokenRequest(
                new TokenRequestBuilder()
                    .withNewSpec()
                    .withExpirationSeconds(7200L)
                    .endSpec()
                    .build())
            .getStatus()
            .getToken();
    return cp.kubeconfigFor("slipway-controller", token);
  }
}
