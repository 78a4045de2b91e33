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
    return start(cp, Map.of());
  }

  /** With more settings, e.g. slipway.hub.enabled. */
  public static ControllerUnderTest start(Cluster cp, Map<String, Object> settings) {
    Path kubeconfig = Stacks.controllerKubeconfig(cp);
    Map<String, Object> all = new java.util.HashMap<>(settings);
    all.put("slipway.kubeconfig", kubeconfig.toString());
    all.put("micronaut.server.host", "127.0.0.1");
    all.put("micronaut.server.port", -1);
    return new ControllerUnderTest(ApplicationContext.run(EmbeddedServer.class, all));
  }

  @Override
  public void close() {
    server.close();
  }
}
