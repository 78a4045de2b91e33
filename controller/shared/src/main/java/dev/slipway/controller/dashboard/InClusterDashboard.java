package dev.slipway.controller.dashboard;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.net.InetSocketAddress;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The dashboard as a Deployment of the controller's image ({@code args: [dashboard, ...]}; the
 * chart's dashboard.enabled): it reads with its own read-only ServiceAccount, listens on every
 * address of its pod (a Service and port-forward reach it there) and answers loopback names on any
 * port (kubectl port-forward) and the hosts given with --allow-host.
 *
 * <pre>dashboard [--port 3100] [--namespace NS] [--allow-host HOST[:PORT]]...</pre>
 */
public final class InClusterDashboard {
  private InClusterDashboard() {}

  /** Serves until the process is stopped; a wrong argument exits 2 saying which. */
  public static void main(String[] args) throws Exception {
    int port = 3100;
    String namespace = null;
    Set<String> hosts = new LinkedHashSet<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("dashboard")) continue;
      if (i + 1 >= args.length) usage("no value after " + a);
      String v = args[++i];
      switch (a) {
        case "--port" -> port = parsePort(v);
        case "--namespace" -> namespace = v.isBlank() ? null : v;
        case "--allow-host" -> hosts.add(v);
        default -> usage("unknown argument " + a);
      }
    }
    KubernetesClient client = new KubernetesClientBuilder().build();
    DashboardServer server =
        DashboardServer.start(
            new DashboardData(client, namespace),
            new InetSocketAddress(port),
            bound -> HostPolicy.forwardedOr(hosts));
    System.out.printf(
        "Slipway dashboard listening on port %d (%s; read-only; answers %s)%n",
        server.port(),
        namespace == null ? "all namespaces" : "namespace " + namespace,
        hosts.isEmpty()
            ? "kubectl port-forward"
            : "kubectl port-forward and " + String.join(", ", hosts));
    server.serveUntilStopped(client::close);
  }

  private static int parsePort(String v) {
    try {
      int p = Integer.parseInt(v);
      if (p > 0 && p < 65536) return p;
    } catch (NumberFormatException e) {
      // said below
    }
    usage("--port wants 1-65535, not " + v);
    return -1;
  }

  private static void usage(String why) {
    System.err.println(
        "dashboard: "
            + why
            + "\nusage: dashboard [--port 3100] [--namespace NS] [--allow-host HOST[:PORT]]...");
    System.exit(2);
  }
}
