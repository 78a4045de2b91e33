package dev.slipway.analysis.provider;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * A hosted provider's API played on 127.0.0.1: each request is recorded, and answered by the next
 * scripted answer (the last one repeats), or by a function of the request. Public for the decision
 * benchmark (e2e), which serves its simulated counts through it.
 */
public final class LocalApi implements AutoCloseable {
  public record Answer(int code, Map<String, String> headers, String body) {}

  public record Request(
      String method,
      String path,
      String query,
      Map<String, String> headers,
      String body,
      long nanos) {}

  private final HttpServer server;
  private final Deque<Answer> script = new ArrayDeque<>();
  private volatile Function<Request, Answer> responder;
  final List<Request> requests = new CopyOnWriteArrayList<>();

  public LocalApi() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.setExecutor(Executors.newCachedThreadPool());
    server.start();
  }

  public String base() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Answers from now on, in order; the last repeats. Forgets earlier requests. */
  synchronized LocalApi answers(Answer... answers) {
    responder = null;
    script.clear();
    script.addAll(List.of(answers));
    requests.clear();
    return this;
  }

  /**
   * Answers every request from now on by {@code f} (requests are not kept: a benchmark sends many).
   */
  public LocalApi answering(Function<Request, Answer> f) {
    responder = f;
    return this;
  }

  /** Three attempts 20 ms apart, a breaker that stays shut: each test sees every attempt. */
  public static Resilience quickRetries() {
    return new Resilience(
        new Resilience.Settings(
            3, java.time.Duration.ofMillis(20), 100, java.time.Duration.ofSeconds(30)));
  }

  public static Answer ok(String body) {
    return new Answer(200, Map.of(), body);
  }

  static Answer status(int code, String body, String... headerPairs) {
    Map<String, String> h = new java.util.LinkedHashMap<>();
    for (int i = 0; i + 1 < headerPairs.length; i += 2) h.put(headerPairs[i], headerPairs[i + 1]);
    return new Answer(code, h, body);
  }

  private void handle(HttpExchange x) throws IOException {
    Map<String, String> headers = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    x.getRequestHeaders().forEach((k, v) -> headers.put(k, v.get(0)));
    Request request =
        new Request(
            x.getRequestMethod(),
            x.getRequestURI().getPath(),
            x.getRequestURI().getRawQuery(),
            headers,
            new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8),
            System.nanoTime());
    Function<Request, Answer> f = responder;
    Answer a;
    if (f != null) {
      a = f.apply(request);
    } else {
      requests.add(request);
      synchronized (this) {
        a = script.size() > 1 ? script.poll() : script.peek();
      }
    }
    if (a == null) a = new Answer(404, Map.of(), "{}");
    a.headers().forEach((k, v) -> x.getResponseHeaders().add(k, v));
    x.getResponseHeaders().add("Content-Type", "application/json");
    byte[] bytes = a.body().getBytes(StandardCharsets.UTF_8);
    x.sendResponseHeaders(a.code(), bytes.length == 0 ? -1 : bytes.length);
    try (OutputStream out = x.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
