package dev.slipway.e2e.cluster;

import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.nio.file.Path;
import java.util.Map;

/**
 * The real controller application, started in-process but authenticated as its own
 * ServiceAccount, so it holds exactly the rights of the shipped ClusterRole.
 */
public final class ControllerUnderTest implements AutoCloseable {
  private final EmbeddedServer server;

  private ControllerUnderTest(EmbeddedServer server) {
    this.server = server;
  }

  /** Assumes samples/install/rbac.yaml is applied. */
  public static ControllerUnderTest start(Cluster cp) {
    String token = cp.admin().serviceAccounts().inNamespace("slipway-system").withName("slipway-controller")
        .tokenRequest(new TokenRequestBuilder().withNewSpec().withExpirationSeconds(7200L).endSpec().build())
        .getStatus().getToken();
    Path kubeconfig = cp.kubeconfigFor("slipway-controller", token);
    return new ControllerUnderTest(ApplicationContext.run(EmbeddedServer.class, Map.of(
        "slipway.kubeconfig", kubeconfig.toString(),
        "micronaut.server.host", "127.0.0.1",
        "micronaut.server.port", -1)));
  }

  @Override
  public void close() {
    server.close();
  }
}
