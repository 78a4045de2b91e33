package dev.slipway.analysis.prometheus;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A misbehaving "Prometheus" on 127.0.0.1: slow, garbled or picky, to test what a real one rarely
 * does on demand.
 */
public final class StubServer implements AutoCloseable {
  public interface Handler {
    void handle(HttpExchange ex) throws Exception;
  }

  private final HttpServer server;
  public final List<Map<String, List<String>>> requestHeaders = new CopyOnWriteArrayList<>();

  public StubServer(Handler handler) throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(Executors.newCachedThreadPool());
    server.createContext(
        "/",
        ex -> {
          requestHeaders.add(Map.copyOf(ex.getRequestHeaders()));
          try {
            handler.handle(ex);
          } catch (Exception e) {
            // the client gave up (a timeout test); nothing to answer
          } finally {
            ex.close();
          }
        });
    server.start();
  }

  public static void reply(HttpExchange ex, int code, String body) throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().add("Content-Type", "application/json");
    ex.sendResponseHeaders(code, b.length == 0 ? -1 : b.length);
    if (b.length > 0) ex.getResponseBody().write(b);
  }

  public String address() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
