package dev.slipway.e2e.workload;

import dev.slipway.e2e.cluster.Cluster;
import dev.slipway.e2e.cluster.Stacks;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.nio.file.Path;
import java.util.Map;

/**
 * The real controller application, started in-process but authenticated as its own ServiceAccount,
 * so it holds exactly the rights of the shipped ClusterRole.
 */
public final class ControllerUnderTest implements AutoCloseable {
  private final EmbeddedServer server;

  private ControllerUnderTest(EmbeddedServer server) {
    this.server = server;
  }

  /** Assumes samples/install/rbac.yaml is applied. */
  public static ControllerUnderTest start(Cluster cp) {
    Path kubeconfig = Stacks.controllerKubeconfig(cp);
    return new ControllerUnderTest(
        ApplicationContext.run(
            EmbeddedServer.class,
            Map.of(
                "slipway.kubeconfig",
                kubeconfig.toString(),
                "micronaut.server.host",
                "127.0.0.1",
                "micronaut.server.port",
                -1)));
  }

  @Override
  public void close() {
    server.close();
  }
}
