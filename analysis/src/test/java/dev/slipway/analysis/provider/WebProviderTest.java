package dev.slipway.analysis.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.slipway.analysis.spec.WebCheck;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 30's web checks against a real HTTP server on 127.0.0.1: pass and fail (a value for the
 * judge), no data, a 500 (an Error after the retries, each counted), a slow answer (the time
 * limit), a 10 MB answer (refused unread), an address outside the policy (refused, nothing sent),
 * headers sent, a POST body sent.
 */
class WebProviderTest {
  static HttpServer server;
  static final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
  static final Map<String, String> seen = new ConcurrentHashMap<>();
  static WebProvider provider;
  static MicronautHttpTransport transport;
  static Resilience resilience;

  @BeforeAll
  static void up() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    answer("/good", 200, "{\"data\":{\"errorRate\":0.002,\"ok\":true}}");
    answer("/bad", 200, "{\"data\":{\"errorRate\":0.2,\"ok\":false}}");
    answer("/empty", 200, "{\"data\":{}}");
    answer("/text", 200, "{\"data\":{\"errorRate\":\"0.5\",\"name\":\"checkout\"}}");
    answer("/down", 500, "{\"error\":\"boom\"}");
    answer("/notjson", 200, "<html>hi</html>");
    server.createContext(
        "/slow",
        x -> {
          count(x);
          try {
            Thread.sleep(3_000);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          send(x, 200, "{\"v\":1}");
        });
    server.createContext(
        "/huge",
        x -> {
          count(x);
          byte[] chunk = new byte[1 << 16];
          java.util.Arrays.fill(chunk, (byte) ' ');
          x.sendResponseHeaders(200, 10L << 20);
          try (OutputStream out = x.getResponseBody()) {
            out.write("{\"v\":1".getBytes(StandardCharsets.UTF_8));
            for (int i = 0; i < 160; i++) out.write(chunk);
          } catch (IOException e) {
            // The client stopped reading, as it should.
          }
        });
    server.createContext(
        "/echo",
        x -> {
          count(x);
          seen.put(
              "authorization", String.valueOf(x.getRequestHeaders().getFirst("Authorization")));
          seen.put("method", x.getRequestMethod());
          seen.put("body", new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
          send(x, 200, "{\"v\":7}");
        });
    server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    server.start();
    transport = new MicronautHttpTransport(Duration.ofSeconds(1));
    resilience =
        new Resilience(
            new Resilience.Settings(3, Duration.ofMillis(20), 100, Duration.ofSeconds(30)));
    provider = new WebProvider(transport, resilience, policy(""));
  }

  @AfterAll
  static void down() {
    transport.close();
    resilience.close();
    server.stop(0);
  }

  static AddressPolicy policy(String allow) {
    return AddressPolicy.of(
        allow,
        "198.51.100.1",
        host -> {
          if (host.equals("127.0.0.1")) return List.of(InetAddress.getLoopbackAddress());
          if (host.equals("meta.example.com"))
            return List.of(InetAddress.getByName("169.254.169.254"));
          throw new UnknownHostException(host);
        });
  }

  static void answer(String path, int code, String body) {
    server.createContext(
        path,
        x -> {
          count(x);
          send(x, code, body);
        });
  }

  static void count(HttpExchange x) {
    hits.computeIfAbsent(x.getRequestURI().getPath(), k -> new AtomicInteger()).incrementAndGet();
  }

  static void send(HttpExchange x, int code, String body) throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    x.getResponseHeaders().add("Content-Type", "application/json");
    x.sendResponseHeaders(code, b.length);
    try (OutputStream out = x.getResponseBody()) {
      out.write(b);
    }
  }

  static WebCheck get(String path, String jsonPath) {
    return new WebCheck(url(path), "GET", null, Map.of(), jsonPath, Duration.ofSeconds(1));
  }

  static String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  static int hitsOf(String path) {
    AtomicInteger n = hits.get(path);
    return n == null ? 0 : n.get();
  }

  @Test
  void aGoodAndABadAnswerAreValuesForTheJudge() {
    assertEquals(new QueryOutcome.Value(0.002), provider.check(get("/good", "$.data.errorRate")));
    assertEquals(new QueryOutcome.Value(0.2), provider.check(get("/bad", "$.data.errorRate")));
    assertEquals(new QueryOutcome.Value(1), provider.check(get("/good", "$.data.ok")));
    assertEquals(new QueryOutcome.Value(0), provider.check(get("/bad", "$.data.ok")));
    assertEquals(new QueryOutcome.Value(0.5), provider.check(get("/text", "$.data.errorRate")));
  }

  @Test
  void nothingAtThePathIsNoDataNeverSuccess() {
    QueryOutcome o = provider.check(get("/empty", "$.data.errorRate"));
    assertInstanceOf(QueryOutcome.NoData.class, o);
    assertTrue(((QueryOutcome.NoData) o).why().contains("$.data.errorRate"), o.toString());
  }

  @Test
  void aFiveHundredIsAnErrorAfterTheRetries() {
    int before = hitsOf("/down");
    QueryOutcome o = provider.check(get("/down", "$.v"));
    assertInstanceOf(QueryOutcome.Failure.class, o);
    assertTrue(((QueryOutcome.Failure) o).why().contains("HTTP 500"), o.toString());
    assertEquals(3, hitsOf("/down") - before, "tried three times");
  }

  @Test
  void aSlowAnswerHitsTheTimeLimit() {
    QueryOutcome o = provider.check(get("/slow", "$.v"));
    assertInstanceOf(QueryOutcome.Failure.class, o);
    assertTrue(((QueryOutcome.Failure) o).why().contains("no reply"), o.toString());
  }

  @Test
  void aTenMegabyteAnswerIsRefusedUnread() {
    int before = hitsOf("/huge");
    QueryOutcome o = provider.check(get("/huge", "$.v"));
    assertInstanceOf(QueryOutcome.Failure.class, o);
    assertTrue(((QueryOutcome.Failure) o).why().contains("larger than"), o.toString());
    assertEquals(1, hitsOf("/huge") - before, "not retried: it would be as large again");
  }

  @Test
  void anAnswerThatIsNotJsonOrNotANumberIsAnError() {
    QueryOutcome o = provider.check(get("/notjson", "$.v"));
    assertInstanceOf(QueryOutcome.Failure.class, o);
    o = provider.check(get("/text", "$.data.name"));
    assertInstanceOf(QueryOutcome.Failure.class, o);
    assertTrue(((QueryOutcome.Failure) o).why().contains("not a number"), o.toString());
  }

  @Test
  void anAddressOutsideThePolicyIsRefusedAndNothingIsSent() {
    WebProvider allowListed =
        new WebProvider(transport, resilience, policy("prometheus.monitoring.svc"));
    int before = hitsOf("/good");
    QueryOutcome o = allowListed.check(get("/good", "$.data.errorRate"));
    assertInstanceOf(QueryOutcome.Failure.class, o);
    assertTrue(((QueryOutcome.Failure) o).why().contains("not sent"), o.toString());
    assertEquals(before, hitsOf("/good"), "no request sent");
    // The metadata address is refused whatever the allow-list, before any connection.
    WebCheck meta =
        new WebCheck(
            "http://meta.example.com/latest", "GET", null, Map.of(), "$.v", Duration.ofSeconds(1));
    o = provider.check(meta);
    assertTrue(((QueryOutcome.Failure) o).why().contains("metadata"), o.toString());
  }

  @Test
  void headersAndAPostBodyAreSent() {
    WebCheck post =
        new WebCheck(
            url("/echo"),
            "POST",
            "{\"q\":\"checkout\"}",
            Map.of("Authorization", "Bearer s3cret"),
            "$.v",
            Duration.ofSeconds(1));
    assertEquals(new QueryOutcome.Value(7), provider.check(post));
    assertEquals("POST", seen.get("method"));
    assertEquals("Bearer s3cret", seen.get("authorization"));
    assertEquals("{\"q\":\"checkout\"}", seen.get("body"));
    assertTrue(!post.describe().contains("s3cret"), "the header is never described");
  }

  @Test
  void aPathThatMaySelectSeveralValuesIsRefused() {
    assertTrue(WebResponses.pathProblem("$.items[*].v").contains("several values"));
    assertTrue(WebResponses.pathProblem("$.data.errorRate") == null);
  }
}
