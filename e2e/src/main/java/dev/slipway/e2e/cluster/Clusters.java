package dev.slipway.e2e.cluster;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Picks the cluster the e2e suite runs on, and says which and why: SLIPWAY_E2E_KUBECONFIG names an
 * existing cluster; otherwise k3s through Testcontainers when a Docker engine answers (unless
 * SLIPWAY_E2E_PROVIDER=local); otherwise the local control plane.
 */
public final class Clusters {
  public static final String KUBECONFIG_ENV = "SLIPWAY_E2E_KUBECONFIG";
  public static final String PROVIDER_ENV = "SLIPWAY_E2E_PROVIDER";

  private Clusters() {}

  /** A cluster with nodes, so pods become Ready. */
  public static Cluster withNodes() {
    return choose(true);
  }

  /** Only an API server is needed (admission, reconciler passes). */
  public static Cluster apiOnly() {
    return choose(false);
  }

  static Cluster choose(boolean nodes) {
    String kubeconfig = System.getenv(KUBECONFIG_ENV);
    String provider = System.getenv().getOrDefault(PROVIDER_ENV, "auto");
    Cluster c;
    String why;
    if (kubeconfig != null && !kubeconfig.isBlank()) {
      if (!Files.isReadable(Path.of(kubeconfig))) {
        throw new IllegalStateException(
            KUBECONFIG_ENV + "=" + kubeconfig + " is not a readable file");
      }
      c = new ExistingCluster(Path.of(kubeconfig));
      why = KUBECONFIG_ENV + " is set";
    } else if (!provider.equals("local")
        && (provider.equals("k3s") || K3sCluster.dockerAvailable())) {
      c = K3sCluster.start();
      why = provider.equals("k3s") ? PROVIDER_ENV + "=k3s" : "a Docker engine answers";
    } else {
      c = nodes ? LocalControlPlane.withNodes() : LocalControlPlane.apiOnly();
      why =
          provider.equals("local")
              ? PROVIDER_ENV + "=local"
              : "no Docker engine here and no " + KUBECONFIG_ENV;
    }
    System.out.println("e2e cluster provider: " + c.describe() + " (chosen because " + why + ")");
    return c;
  }
}
