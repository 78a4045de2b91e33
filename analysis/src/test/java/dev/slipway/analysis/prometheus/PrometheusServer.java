package dev.slipway.analysis.prometheus;

import dev.slipway.testing.Proc;
import dev.slipway.testing.TestTime;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Prometheus (Debian's package) on 127.0.0.1 with a temporary data dir and a generated
 * config. Blocks backfilled with promtool are loaded at start. Stop it to see what an outage looks
 * like.
 */
public final class PrometheusServer implements AutoCloseable {
  public static final String BINARY =
      System.getenv().getOrDefault("SLIPWAY_PROMETHEUS", "/usr/bin/prometheus");
  public static final String PROMTOOL =
      System.getenv().getOrDefault("SLIPWAY_PROMTOOL", "/usr/bin/promtool");

  private final Path dir;
  private final int port;
  private String host = "127.0.0.1";
  private Process process;

  private PrometheusServer(Path dir, int port) {
    this.dir = dir;
    this.port = port;
  }

  /**
   * Fails rather than skips: a suite that quietly skipped its real-Prometheus tests would prove
   * nothing.
   */
  public static void requireInstalled() {
    if (!Files.isExecutable(Path.of(BINARY)) || !Files.isExecutable(Path.of(PROMTOOL))) {
      throw new IllegalStateException(
          BINARY
              + " and "
              + PROMTOOL
              + " are needed: apt-get install --no-install-recommends prometheus"
              + " (.ci/run does this), or point SLIPWAY_PROMETHEUS and SLIPWAY_PROMTOOL at them");
    }
  }

  /** A server whose data dir holds the given OpenMetrics text, backfilled before start. */
  public static PrometheusServer withBackfill(String openMetrics, String scrapeConfigs)
      throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory("slipway-prometheus");
    Path data = Files.createDirectories(dir.resolve("data"));
    if (openMetrics != null) {
      Path om = dir.resolve("backfill.om");
      Files.writeString(om, openMetrics);
      run(
          List.of(
              PROMTOOL,
              "tsdb",
              "create-blocks-from",
              "openmetrics",
              om.toString(),
              data.toString()),
          dir);
    }
    PrometheusServer s = new PrometheusServer(dir, freePort());
    s.start(scrapeConfigs == null ? "" : scrapeConfigs);
    return s;
  }

  public static PrometheusServer empty(String scrapeConfigs)
      throws IOException, InterruptedException {
    return withBackfill(null, scrapeConfigs);
  }

  /** An empty server on a given loopback port (the demo prefers Prometheus's usual 9090). */
  public static PrometheusServer onPort(int port, String scrapeConfigs)
      throws IOException, InterruptedException {
    return onAddress("127.0.0.1", port, scrapeConfigs);
  }

  /**
   * An empty server on another address of this machine the caller owns: the host side of the real
   * node's pod bridge, so that a controller in a pod can query it.
   */
  public static PrometheusServer onAddress(String host, int port, String scrapeConfigs)
      throws IOException, InterruptedException {
    PrometheusServer s =
        new PrometheusServer(Files.createTempDirectory("slipway-prometheus"), port);
    s.host = host;
    Files.createDirectories(s.dir.resolve("data"));
    s.start(scrapeConfigs);
    return s;
  }

  public static boolean portFree(int port) {
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress("127.0.0.1", port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private void start(String scrapeConfigs) throws IOException, InterruptedException {
    Path config = dir.resolve("prometheus.yml");
    Files.writeString(
        config,
        "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n"
            + (scrapeConfigs.isBlank() ? "" : "scrape_configs:\n" + scrapeConfigs));
    List<String> cmd =
        new ArrayList<>(
            List.of(
                BINARY,
                "--config.file=" + config,
                "--storage.tsdb.path=" + dir.resolve("data"),
                "--storage.tsdb.retention.time=30d",
                "--web.listen-address=" + host + ":" + port,
                "--web.enable-lifecycle",
                "--log.level=warn"));
    process =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("prometheus.log").toFile())
            .start();
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IOException(
            "prometheus exited: " + Files.readString(dir.resolve("prometheus.log")));
      }
      if (ready()) return;
      Thread.sleep(100);
    }
    throw new IOException(
        "prometheus not ready within 60s: " + Files.readString(dir.resolve("prometheus.log")));
  }

  private boolean ready() {
    try {
      HttpURLConnection c =
          (HttpURLConnection) URI.create(address() + "/-/ready").toURL().openConnection();
      c.setConnectTimeout(500);
      c.setReadTimeout(500);
      return c.getResponseCode() == 200;
    } catch (IOException e) {
      return false;
    }
  }

  public String address() {
    return "http://" + host + ":" + port;
  }

  public int port() {
    return port;
  }

  public Path dir() {
    return dir;
  }

  /** Asks Prometheus to re-read its config file (after {@link #rewriteScrapeConfigs}). */
  public void reload() throws IOException {
    HttpURLConnection c =
        (HttpURLConnection) URI.create(address() + "/-/reload").toURL().openConnection();
    c.setRequestMethod("POST");
    if (c.getResponseCode() != 200) {
      throw new IOException("reload failed: HTTP " + c.getResponseCode());
    }
  }

  public void rewriteScrapeConfigs(String scrapeConfigs) throws IOException {
    Files.writeString(
        dir.resolve("prometheus.yml"),
        "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n"
            + "scrape_configs:\n"
            + scrapeConfigs);
    reload();
  }

  /** Kills the server as an outage would: no goodbye. */
  public void stop() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }

  public boolean isRunning() {
    return process != null && process.isAlive();
  }

  @Override
  public void close() throws InterruptedException {
    stop();
    try (var files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void run(List<String> cmd, Path dir) throws IOException, InterruptedException {
    Proc.Result r = Proc.of(cmd).dir(dir).timeout(TestTime.of(Duration.ofMinutes(5))).run();
    if (!r.ok()) {
      throw new IOException(r.describe());
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress("127.0.0.1", 0));
      return s.getLocalPort();
    }
  }
}
