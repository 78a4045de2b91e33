package dev.slipway.samples.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The smoke test a Job check runs: the Service's ready endpoints from an API stand-in on loopback,
 * then GETs to the sample app there; 0 only when every answer is 2xx.
 */
class SmokeTestTest {
  HttpServer api;
  volatile String slices;

  @BeforeEach
  void up() throws Exception {
    api = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    api.createContext(
        "/apis/discovery.k8s.io/v1/namespaces/shop/endpointslices",
        ex -> {
          boolean asked =
              ex.getRequestURI()
                  .getRawQuery()
                  .equals("labelSelector=kubernetes.io%2Fservice-name%3Dshop-canary");
          byte[] b = (asked ? slices : "{\"items\":[]}").getBytes(StandardCharsets.UTF_8);
          ex.sendResponseHeaders(200, b.length);
          try (OutputStream os = ex.getResponseBody()) {
            os.write(b);
          }
        });
    api.start();
  }

  @AfterEach
  void down() {
    api.stop(0);
  }

  int smoke(double errorRate, StringBuilder printed) throws Exception {
    try (SampleApp app =
        new SampleApp(new SampleApp.Settings("127.0.0.1", 0, errorRate, 0, "v2")).start()) {
      slices =
          """
          {"items": [{"endpoints": [
            {"addresses": ["127.0.0.1"], "conditions": {"ready": true}},
            {"addresses": ["127.0.0.2"], "conditions": {"ready": false}}]}]}
          """;
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      int code =
          new SmokeTest(
                  Map.of(
                      "SMOKE_API",
                      "http://127.0.0.1:" + api.getAddress().getPort(),
                      "SMOKE_NAMESPACE",
                      "shop"),
                  new PrintStream(out, true, StandardCharsets.UTF_8))
              .run(new String[] {"shop-canary", Integer.toString(app.port()), "/", "20"});
      printed.append(out.toString(StandardCharsets.UTF_8));
      return code;
    }
  }

  @Test
  void aGoodServicePassesAndABadOneFails() throws Exception {
    StringBuilder good = new StringBuilder();
    assertEquals(0, smoke(0, good), good.toString());
    assertTrue(
        good.toString()
            .contains(
                "smoke: 20 requests to Service shop-canary (1 ready endpoint(s)): {200=20}, all 2xx"),
        good.toString());
    StringBuilder bad = new StringBuilder();
    assertEquals(1, smoke(1.0, bad), bad.toString());
    assertTrue(bad.toString().contains("{500=20}, 20 not 2xx"), bad.toString());
  }

  @Test
  void noReadyEndpointOrBadArgumentsAreTheirOwnExitCodes() {
    slices = "{\"items\":[]}";
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    SmokeTest t =
        new SmokeTest(
            Map.of(
                "SMOKE_API",
                "http://127.0.0.1:" + api.getAddress().getPort(),
                "SMOKE_NAMESPACE",
                "shop"),
            new PrintStream(out, true, StandardCharsets.UTF_8));
    assertEquals(3, t.run(new String[] {"shop-canary", "8080", "/", "5"}));
    assertEquals(2, t.run(new String[] {"shop-canary", "http", "/", "5"}));
    assertEquals(2, t.run(new String[] {"shop-canary"}));
  }
}
