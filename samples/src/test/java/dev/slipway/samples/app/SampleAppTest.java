package dev.slipway.samples.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SampleAppTest {
  final HttpClient http = HttpClient.newHttpClient();

  String get(SampleApp app, String path) throws Exception {
    return http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path)).build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  int status(SampleApp app) throws Exception {
    return http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + "/")).build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  @Test
  void errorShareIsExactAndCountedByCode() throws Exception {
    try (SampleApp app =
        new SampleApp(new SampleApp.Settings("127.0.0.1", 0, 0.2, 0, "v2")).start()) {
      int errors = 0;
      for (int i = 0; i < 50; i++) {
        if (status(app) == 500) errors++;
      }
      assertEquals(10, errors);
      String metrics = get(app, "/metrics");
      assertTrue(metrics.contains("http_requests_total{code=\"200\"} 40"), metrics);
      assertTrue(metrics.contains("http_requests_total{code=\"500\"} 10"), metrics);
      assertTrue(metrics.contains("http_request_duration_seconds_bucket{le=\"+Inf\"} 50"), metrics);
    }
  }

  /**
   * The gRPC port fails the same share of calls, with UNAVAILABLE (an HTTP 200 on the wire), and
   * counts them by gRPC code; Preview is a second method a route can single out.
   */
  @Test
  void theGrpcPortFailsItsShareWithUnavailableAndCountsByCode() throws Exception {
    try (SampleApp app =
        new SampleApp(new SampleApp.Settings("127.0.0.1", 0, 0.2, 0, "v2").withGrpcPort(0))
            .start()) {
      ManagedChannel ch =
          NettyChannelBuilder.forAddress("127.0.0.1", app.grpcPort()).usePlaintext().build();
      try {
        int unavailable = 0;
        for (int i = 0; i < 50; i++) {
          try {
            byte[] reply =
                ClientCalls.blockingUnaryCall(
                    ch, SampleGrpc.HELLO, CallOptions.DEFAULT, new byte[0]);
            assertEquals("ok from v2", new String(reply, StandardCharsets.UTF_8));
          } catch (StatusRuntimeException e) {
            assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode());
            assertEquals("error from v2", e.getStatus().getDescription());
            unavailable++;
          }
        }
        assertEquals(10, unavailable);
        assertEquals(
            "ok from v2",
            new String(
                ClientCalls.blockingUnaryCall(
                    ch, SampleGrpc.PREVIEW, CallOptions.DEFAULT, new byte[0]),
                StandardCharsets.UTF_8));
      } finally {
        ch.shutdownNow();
      }
      String metrics = get(app, "/metrics");
      assertTrue(
          metrics.contains(
              "grpc_server_handled_total{grpc_code=\"Unavailable\",grpc_method=\"Hello\",grpc_service=\"slipway.sample.Greeter\",grpc_type=\"unary\"} 10"),
          metrics);
      assertTrue(metrics.contains("grpc_code=\"OK\",grpc_method=\"Hello\""), metrics);
      assertTrue(metrics.contains("grpc_server_handling_seconds_bucket{"), metrics);
    }
  }

  /** Each start of each version is appended to the data dir, which outlives the process. */
  @Test
  void everyStartIsKeptInTheDataDir(@TempDir Path dir) throws Exception {
    for (String v : new String[] {"v1", "v2"}) {
      try (SampleApp app =
          new SampleApp(new SampleApp.Settings("127.0.0.1", 0, 0, 0, v, dir.toString())).start()) {
        assertTrue(get(app, "/data").startsWith("v1 "), get(app, "/data"));
      }
    }
    List<String> lines = Files.readAllLines(dir.resolve("starts.log"));
    assertEquals(List.of("v1", "v2"), lines.stream().map(l -> l.split(" ")[0]).toList());
  }

  @Test
  void latencyShowsInTheHistogram() throws Exception {
    try (SampleApp app =
        new SampleApp(new SampleApp.Settings("127.0.0.1", 0, 0, 60, "slow")).start()) {
      status(app);
      String metrics = get(app, "/metrics");
      assertTrue(metrics.contains("http_request_duration_seconds_bucket{le=\"0.05\"} 0"), metrics);
      assertTrue(metrics.contains("http_request_duration_seconds_bucket{le=\"0.1\"} 1"), metrics);
    }
  }

  @Test
  void flagsOverrideEnvAndBadValuesAreNamed() {
    SampleApp.Settings s =
        SampleApp.parse(
            new String[] {"--error-rate", "0.5", "--port=9000"},
            Map.of("ERROR_RATE", "0.1", "LATENCY_MS", "20"));
    assertEquals(0.5, s.errorRate());
    assertEquals(9000, s.port());
    assertEquals(20, s.latencyMs());
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> SampleApp.parse(new String[] {"--error-rate", "2"}, Map.of()));
    assertTrue(e.getMessage().contains("between 0 and 1"));
    assertThrows(
        IllegalArgumentException.class,
        () -> SampleApp.parse(new String[] {"--nope", "1"}, Map.of()));
  }
}
