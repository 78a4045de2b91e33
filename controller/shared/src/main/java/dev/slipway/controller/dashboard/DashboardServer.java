package dev.slipway.controller.dashboard;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.function.IntFunction;

/**
 * The read-only dashboard's web server: Rollouts with their live steps and weights, analysis
 * results and the evidence timeline. It answers GET only, and only requests its {@link HostPolicy}
 * accepts (no DNS rebinding); {@code /healthz} answers anyone, with nothing but "ok", for probes
 * that address the pod by its IP. Every refusal and failure is a JSON {@code {"error": ...}} with
 * its status code.
 */
public final class DashboardServer implements AutoCloseable {
  private final HttpServer server;

  private DashboardServer(HttpServer server) {
    this.server = server;
  }

  /**
   * Serves {@code data} on {@code address} (port 0 picks one) under the policy made for the port
   * bound.
   */
  public static DashboardServer start(
      DashboardData data, InetSocketAddress address, IntFunction<HostPolicy> policyForPort)
      throws IOException {
    HttpServer server = HttpServer.create(address, 0);
    HostPolicy policy = policyForPort.apply(server.getAddress().getPort());
    server.createContext("/", ex -> serve(ex, data, policy));
    server.start();
    return new DashboardServer(server);
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /**
   * Blocks until the process is told to stop (Ctrl-C, SIGTERM), then stops serving and runs {@code
   * after}.
   */
  public void serveUntilStopped(Runnable after) throws InterruptedException {
    CountDownLatch stop = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  close();
                  after.run();
                  stop.countDown();
                }));
    stop.await();
  }

  @Override
  public void close() {
    server.stop(0);
  }

  private static void serve(HttpExchange ex, DashboardData data, HostPolicy policy)
      throws IOException {
    try (ex) {
      String path = ex.getRequestURI().getPath();
      if ("/healthz".equals(path)) {
        send(ex, 200, "text/plain", "ok");
        return;
      }
      var headers = ex.getRequestHeaders();
      var refused = policy.refusal(headers.getFirst("Host"), headers.getFirst("Origin"));
      if (refused.isPresent()) {
        sendError(ex, 403, refused.get());
        return;
      }
      if (!"GET".equals(ex.getRequestMethod())) {
        sendError(ex, 405, "read-only: GET only");
        return;
      }
      // The reply is built before anything is sent, so a failure still gets its own JSON reply.
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
        DashboardServer.class.getResourceAsStream("/dev/slipway/dashboard/index.html")) {
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
