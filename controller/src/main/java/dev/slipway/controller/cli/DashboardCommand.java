package dev.slipway.controller.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * A local, read-only web page: Rollouts with their live steps and weights, analysis results and
 * the evidence timeline. It binds to loopback only, answers GET only, and acts with the
 * caller's kubeconfig (and --as), so it shows what that identity may read and nothing more.
 */
@Command(name = "dashboard", description = "Serve a read-only dashboard on 127.0.0.1 (Ctrl-C to stop).")
public final class DashboardCommand implements Callable<Integer> {
  @Mixin KubeOptions kube;
  @Spec picocli.CommandLine.Model.CommandSpec spec;
  @Option(names = {"-A", "--all-namespaces"}, description = "Across all namespaces (default: the current one).") boolean all;
  @Option(names = "--port", description = "Port on 127.0.0.1 (default 3100; 0 picks a free one).") int port = 3100;

  @Override
  public Integer call() throws Exception {
    try (KubernetesClient client = kube.client()) {
      DashboardData data = new DashboardData(client, all ? null : kube.namespace(client));
      HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
      server.createContext("/", ex -> serve(ex, data));
      server.start();
      var out = spec.commandLine().getOut();
      out.println("Slipway dashboard on http://127.0.0.1:" + server.getAddress().getPort() + "/ ("
          + (all ? "all namespaces" : "namespace " + kube.namespace(client)) + "; read-only; Ctrl-C to stop)");
      out.flush();
      CountDownLatch stop = new CountDownLatch(1);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        server.stop(0);
        stop.countDown();
      }));
      stop.await();
      return 0;
    }
  }

  private static void serve(HttpExchange ex, DashboardData data) throws IOException {
    try (ex) {
      if (!"GET".equals(ex.getRequestMethod())) {
        send(ex, 405, "text/plain", "read-only: GET only\n");
        return;
      }
      String path = ex.getRequestURI().getPath();
      switch (path) {
        case "/", "/index.html" -> send(ex, 200, "text/html; charset=utf-8", page());
        case "/api/rollouts" -> send(ex, 200, "application/json", data.rolloutsJson());
        case "/api/evidence" -> {
          var q = DashboardData.query(ex.getRequestURI().getRawQuery());
          send(ex, 200, "application/json", data.evidenceJson(q.get("namespace"), q.get("name")));
        }
        default -> send(ex, 404, "text/plain", "not found\n");
      }
    } catch (RuntimeException e) {
      send(ex, 502, "application/json", "{\"error\":" + io.fabric8.kubernetes.client.utils.Serialization.asJson(String.valueOf(e.getMessage())) + "}");
    }
  }

  private static String page() throws IOException {
    try (InputStream in = DashboardCommand.class.getResourceAsStream("/dev/slipway/dashboard/index.html")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static void send(HttpExchange ex, int code, String type, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", type);
    ex.getResponseHeaders().set("Cache-Control", "no-store");
    ex.getResponseHeaders().set("Content-Security-Policy", "default-src 'self'; style-src 'unsafe-inline'; script-src 'unsafe-inline'");
    ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
    ex.sendResponseHeaders(code, bytes.length);
    ex.getResponseBody().write(bytes);
  }
}
