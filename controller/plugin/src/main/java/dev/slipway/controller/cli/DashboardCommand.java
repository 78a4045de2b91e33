package dev.slipway.controller.cli;

import dev.slipway.controller.dashboard.DashboardData;
import dev.slipway.controller.dashboard.DashboardServer;
import dev.slipway.controller.dashboard.HostPolicy;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * A local, read-only web page ({@link DashboardServer}): it binds to loopback only, answers only
 * requests addressed to a loopback name with its port ({@link HostPolicy#loopback}: no DNS
 * rebinding), and acts with the caller's kubeconfig (and --as), so it shows what that identity may
 * read and nothing more.
 */
@Command(
    name = "dashboard",
    description = "Serve a read-only dashboard on 127.0.0.1 (Ctrl-C to stop).")
public final class DashboardCommand implements Callable<Integer> {
  @Mixin KubeOptions kube;
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(
      names = {"-A", "--all-namespaces"},
      description = "Across all namespaces (default: the current one).")
  boolean all;

  @Option(names = "--port", description = "Port on 127.0.0.1 (default 3100; 0 picks a free one).")
  int port = 3100;

  @Override
  public Integer call() throws Exception {
    try (KubernetesClient client = kube.client()) {
      DashboardServer server =
          DashboardServer.start(
              new DashboardData(client, all ? null : kube.namespace(client)),
              new InetSocketAddress(InetAddress.getLoopbackAddress(), port),
              HostPolicy::loopback);
      var out = spec.commandLine().getOut();
      out.println(
          "Slipway dashboard on http://127.0.0.1:"
              + server.port()
              + "/ ("
              + (all ? "all namespaces" : "namespace " + kube.namespace(client))
              + "; read-only; Ctrl-C to stop)");
      out.flush();
      server.serveUntilStopped(() -> {});
      return 0;
    }
  }
}
