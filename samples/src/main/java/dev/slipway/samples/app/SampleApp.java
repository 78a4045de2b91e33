package dev.slipway.samples.app;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The demo service: answers GET / with 200 or, for a set share of requests, 500, after a set
 * latency, and exposes http_requests_total{code} and http_request_duration_seconds on /metrics.
 * Settings come from flags or env, so a Rollout's pod template can make a canary bad.
 *
 * <pre>
 *   --port / PORT              (8080)
 *   --bind / BIND              (0.0.0.0; the e2e suite uses 127.0.0.1)
 *   --error-rate / ERROR_RATE  (0.0, share of 500s, 0 to 1)
 *   --latency-ms / LATENCY_MS  (0, added to every request)
 *   --version / VERSION        (shown in the response body)
 *   --data-dir / DATA_DIR      (none; when set, each start appends "VERSION TIME" to
 *                               DATA_DIR/starts.log, and GET /data answers with that file: a
 *                               StatefulSet's volume, read back after its pods were replaced)
 *   --shutdown-delay-ms / SHUTDOWN_DELAY_MS
 *                              (0; on SIGTERM, keep serving this long before stopping, so that
 *                               requests a gateway routes before it sees the pod go still land)
 *   --grpc-port / GRPC_PORT    (none; when set, also serves gRPC there, {@link SampleGrpc}, with
 *                               the same error rate, latency and version; 0 picks a free port)
 * </pre>
 */
public final class SampleApp implements AutoCloseable {
  private final Settings settings;
  private final HttpServer server;
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final Counter requests;
  private final Histogram duration;
  private final AtomicLong served = new AtomicLong();
  private final SampleGrpc grpc;

  public record Settings(
      String bind,
      int port,
      double errorRate,
      long latencyMs,
      String version,
      String dataDir,
      long shutdownDelayMs,
      int grpcPort) {
    /** No gRPC port. */
    public static final int NO_GRPC = -1;

    public Settings(String bind, int port, double errorRate, long latencyMs, String version) {
      this(bind, port, errorRate, latencyMs, version, "", 0, NO_GRPC);
    }

    public Settings(
        String bind, int port, double errorRate, long latencyMs, String version, String dataDir) {
      this(bind, port, errorRate, latencyMs, version, dataDir, 0, NO_GRPC);
    }

    public Settings withGrpcPort(int p) {
      return new Settings(bind, port, errorRate, latencyMs, version, dataDir, shutdownDelayMs, p);
    }

    public Settings {
      if (errorRate < 0 || errorRate > 1)
        throw new IllegalArgumentException("error rate must be between 0 and 1: " + errorRate);
      if (latencyMs < 0)
        throw new IllegalArgumentException("latency must not be negative: " + latencyMs);
      if (shutdownDelayMs < 0)
        throw new IllegalArgumentException(
            "shutdown delay must not be negative: " + shutdownDelayMs);
      if (grpcPort < NO_GRPC || grpcPort > 65535)
        throw new IllegalArgumentException("gRPC port must be between 0 and 65535: " + grpcPort);
    }
  }

  public SampleApp(Settings settings) throws IOException {
    this.settings = settings;
    this.requests =
        Counter.builder()
            .name("http_requests_total")
            .help("HTTP requests by status code")
            .labelNames("code")
            .register(registry);
    this.duration =
        Histogram.builder()
            .name("http_request_duration_seconds")
            .help("HTTP request latency")
            .classicOnly()
            .classicUpperBounds(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
            .register(registry);
    server = HttpServer.create(new InetSocketAddress(settings.bind(), settings.port()), 128);
    // Enough threads for a deliberately slow version (1.5 s a request at 20 requests/s) to answer
    // all it gets.
    server.setExecutor(Executors.newFixedThreadPool(64));
    server.createContext("/metrics", this::metrics);
    server.createContext("/healthz", ex -> reply(ex, 200, "ok\n"));
    server.createContext("/data", this::data);
    server.createContext("/", this::serve);
    grpc = settings.grpcPort() == Settings.NO_GRPC ? null : new SampleGrpc(settings, registry);
  }

  public SampleApp start() throws IOException {
    if (!settings.dataDir().isEmpty()) {
      Files.writeString(
          starts(),
          settings.version() + " " + Instant.now() + "\n",
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    }
    // gRPC first: /healthz answers once the HTTP port is up, and a pod Ready before its gRPC port
    // listens has a gateway's gRPC calls refused (a 502 at Traefik, seen in TraefikE2ETest).
    if (grpc != null) grpc.start();
    server.start();
    return this;
  }

  private Path starts() {
    return Path.of(settings.dataDir(), "starts.log");
  }

  private void data(HttpExchange ex) throws IOException {
    if (settings.dataDir().isEmpty() || !Files.exists(starts())) {
      reply(ex, 404, "no data dir\n");
      return;
    }
    reply(ex, 200, Files.readString(starts(), StandardCharsets.UTF_8));
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** The gRPC port, or {@link Settings#NO_GRPC}. */
  public int grpcPort() {
    return grpc == null ? Settings.NO_GRPC : grpc.port();
  }

  /**
   * Whether the n-th request (from 0) fails: exactly {@code rate} of any long run of requests do,
   * spread evenly, so a short test sees the share it set.
   */
  static boolean fails(long n, double rate) {
    return Math.floor((n + 1) * rate) > Math.floor(n * rate);
  }

  static void pause(long ms) {
    if (ms <= 0) return;
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void serve(HttpExchange ex) throws IOException {
    long start = System.nanoTime();
    boolean fail = fails(served.getAndIncrement(), settings.errorRate());
    pause(settings.latencyMs());
    int code = fail ? 500 : 200;
    reply(ex, code, (fail ? "error" : "ok") + " from " + settings.version() + "\n");
    requests.labelValues(String.valueOf(code)).inc();
    duration.observe((System.nanoTime() - start) / 1e9);
  }

  private void metrics(HttpExchange ex) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new PrometheusTextFormatWriter(false).write(out, registry.scrape());
    ex.getResponseHeaders().add("Content-Type", PrometheusTextFormatWriter.CONTENT_TYPE);
    byte[] body = out.toByteArray();
    ex.sendResponseHeaders(200, body.length);
    try (OutputStream os = ex.getResponseBody()) {
      os.write(body);
    }
  }

  private static void reply(HttpExchange ex, int code, String body) throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    ex.sendResponseHeaders(code, b.length);
    try (OutputStream os = ex.getResponseBody()) {
      os.write(b);
    }
  }

  @Override
  public void close() {
    if (grpc != null) grpc.close();
    server.stop(0);
  }

  public static Settings parse(String[] args, Map<String, String> env) {
    Map<String, String> v = new HashMap<>();
    v.put("bind", env.getOrDefault("BIND", "0.0.0.0"));
    v.put("port", env.getOrDefault("PORT", "8080"));
    v.put("error-rate", env.getOrDefault("ERROR_RATE", "0"));
    v.put("latency-ms", env.getOrDefault("LATENCY_MS", "0"));
    v.put("version", env.getOrDefault("VERSION", "dev"));
    v.put("data-dir", env.getOrDefault("DATA_DIR", ""));
    v.put("shutdown-delay-ms", env.getOrDefault("SHUTDOWN_DELAY_MS", "0"));
    v.put("grpc-port", env.getOrDefault("GRPC_PORT", ""));
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (!a.startsWith("--")) throw new IllegalArgumentException("unexpected argument " + a);
      String key = a.substring(2);
      String value;
      int eq = key.indexOf('=');
      if (eq >= 0) {
        value = key.substring(eq + 1);
        key = key.substring(0, eq);
      } else if (i + 1 < args.length) {
        value = args[++i];
      } else {
        throw new IllegalArgumentException(a + " needs a value");
      }
      if (!v.containsKey(key))
        throw new IllegalArgumentException("unknown flag --" + key + "; known: " + v.keySet());
      v.put(key, value);
    }
    return new Settings(
        v.get("bind"),
        Integer.parseInt(v.get("port")),
        Double.parseDouble(v.get("error-rate")),
        Long.parseLong(v.get("latency-ms")),
        v.get("version"),
        v.get("data-dir"),
        Long.parseLong(v.get("shutdown-delay-ms")),
        v.get("grpc-port").isEmpty() ? Settings.NO_GRPC : Integer.parseInt(v.get("grpc-port")));
  }

  public static void main(String[] args) throws IOException {
    if (args.length > 0 && args[0].equals("smoke")) {
      // The same image as a Job check's smoke test (SmokeTest).
      SmokeTest.main(java.util.Arrays.copyOfRange(args, 1, args.length));
      return;
    }
    Settings s;
    try {
      s = parse(args, System.getenv());
    } catch (IllegalArgumentException e) {
      System.err.println("sample-app: " + e.getMessage());
      System.exit(2);
      return;
    }
    SampleApp app = new SampleApp(s).start();
    // One line a supervisor can read to learn the port (with --port 0).
    System.out.println(
        "sample-app listening on "
            + s.bind()
            + ":"
            + app.port()
            + " version="
            + s.version()
            + " errorRate="
            + s.errorRate()
            + " latencyMs="
            + s.latencyMs()
            + (app.grpcPort() == Settings.NO_GRPC ? "" : " grpc=" + app.grpcPort()));
    System.out.flush();
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    Thread.sleep(s.shutdownDelayMs());
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                  app.close();
                }));
  }
}
