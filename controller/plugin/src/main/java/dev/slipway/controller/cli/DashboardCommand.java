package dev.slipway.controller.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
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
 * A local, read-only web page: Rollouts with their live steps and weights, analysis results and the
 * evidence timeline. It binds to loopback only, answers GET only and only requests addressed to a
 * loopback name ({@link LoopbackOnly}: no DNS rebinding), and acts with the caller's kubeconfig
 * (and --as), so it shows what that identity may read and nothing more. Every refusal and failure
 * is a JSON {@code {"error": ...}} with its status code.
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
      DashboardData data = new DashboardData(client, all ? null : kube.namespace(client));
      HttpServer server =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
      int bound = server.getAddress().getPort();
      server.createContext("/", ex -> serve(ex, data, bound));
      server.start();
      var out = spec.commandLine().getOut();
      out.println(
          "Slipway dashboard on http://127.0.0.1:"
              + server.getAddress().getPort()
              + "/ ("
              + (all ? "all namespaces" : "namespace " + kube.namespace(client))
              + "; read-only; Ctrl-C to stop)");
      out.flush();
      CountDownLatch stop = new CountDownLatch(1);
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    server.stop(0);
                    stop.countDown();
                  }));
      stop.await();
      return 0;
    }
  }

  private static void serve(HttpExchange ex, DashboardData data, int port) throws IOException {
    try (ex) {
      var headers = ex.getRequestHeaders();
      var refused =
          LoopbackOnly.refusal(headers.getFirst("Host"), headers.getFirst("Origin"), port);
      if (refused.isPresent()) {
        sendError(ex, 403, refused.get());
        return;
      }
      if (!"GET".equals(ex.getRequestMethod())) {
        sendError(ex, 405, "read-only: GET only");
        return;
      }
      // The reply is built before anything is sent, so a failure still gets its own JSON reply.
      String path = ex.getRequestURI().getPath();
      String type = "application/json";
      String body;
      try {
        switch (path) {
          case "/", "/index.html" -> {
            type = "text/html; charset=utf-8";
            body = page();
          }
          case "/api/rollouts" -> body = data.rolloutsJson();
          case "/api/evidence" -> {
            var q = DashboardData.query(ex.getRequestURI().getRawQuery());
            body = data.evidenceJson(q.get("namespace"), q.get("name"));
          }
          default -> {
            sendError(ex, 404, "not found: " + path);
            return;
          }
        }
      } catch (RuntimeException e) {
        sendError(ex, 502, String.valueOf(e.getMessage()));
        return;
      }
      send(ex, 200, type, body);
    }
  }

  private static void sendError(HttpExchange ex, int code, String message) throws IOException {
    send(ex, code, "application/json", "{\"error\":" + Serialization.asJson(message) + "}");
  }

  private static String page() throws IOException {
    try (InputStream in =
        DashboardCommand.class.getResourceAsStream("/dev/slipway/dashboard/index.html")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static void send(HttpExchange ex, int code, String type, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", type);
    ex.getResponseHeaders().set("Cache-Control", "no-store");
    ex.getResponseHeaders()
        .set(
            "Content-Security-Policy",
            "default-src 'self'; style-src 'unsafe-inline'; script-src 'unsafe-inline'");
    ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
    ex.sendResponseHeaders(code, bytes.length);
    ex.getResponseBody().write(bytes);
  }
}
