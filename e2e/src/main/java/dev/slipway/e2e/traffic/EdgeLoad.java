package dev.slipway.e2e.traffic;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Users' requests at a steady rate to a gateway's loopback entrypoint, told apart by what answered:
 * the sample app says "ok from VERSION" or "error from VERSION". Counts responses per version, 5xx
 * (the app's own and the gateway's, which name no version) and transport failures, and the time of
 * the last response each version served. It sends to loopback only.
 */
public final class EdgeLoad implements AutoCloseable {
  /** Counters at one moment; subtract two to get a window. */
  public record Counts(
      Map<String, Long> okByVersion,
      Map<String, Long> fiveXxByVersion,
      Map<String, Long> failures) {
    public long ok(String version) {
      return okByVersion.getOrDefault(version, 0L);
    }

    /** Every answer from the version, good or 5xx. */
    public long served(String version) {
      return ok(version) + fiveXxByVersion.getOrDefault(version, 0L);
    }

    public long responses() {
      return sum(okByVersion) + sum(fiveXxByVersion);
    }

    public long fiveXx() {
      return sum(fiveXxByVersion);
    }

    /** Connection refused or reset, timeouts: requests that got no HTTP answer. */
    public long transportErrors() {
      return sum(failures);
    }

    public Counts minus(Counts earlier) {
      return new Counts(
          diff(okByVersion, earlier.okByVersion),
          diff(fiveXxByVersion, earlier.fiveXxByVersion),
          diff(failures, earlier.failures));
    }

    private static long sum(Map<String, Long> m) {
      return m.values().stream().mapToLong(Long::longValue).sum();
    }

    private static Map<String, Long> diff(Map<String, Long> now, Map<String, Long> then) {
      Map<String, Long> d = new TreeMap<>();
      now.forEach(
          (k, v) -> {
            long x = v - then.getOrDefault(k, 0L);
            if (x != 0) d.put(k, x);
          });
      return d;
    }

    @Override
    public String toString() {
      return "ok " + okByVersion + ", 5xx " + fiveXxByVersion + ", transport errors " + failures;
    }
  }

  /** 5xx with no version in the body: the gateway's own (502 bad gateway, 503 no servers). */
  public static final String GATEWAY = "(gateway)";

  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(2))
          .build();
  private final ScheduledExecutorService ticker =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "edge-load");
            t.setDaemon(true);
            return t;
          });
  private final URI target;
  private final Map<String, String> headers;
  private final Map<String, AtomicLong> ok = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> fiveXx = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> failures = new ConcurrentHashMap<>();
  private final Map<String, Instant> lastServed = new ConcurrentHashMap<>();
  private final Map<String, Instant> firstFiveXx = new ConcurrentHashMap<>();
  private final AtomicInteger inFlight = new AtomicInteger();
  private volatile boolean paused;

  public EdgeLoad(String url, int requestsPerSecond) {
    this(url, requestsPerSecond, Map.of());
  }

  /** Every request carries {@code headers} (to reach a rule that matches on them). */
  public EdgeLoad(String url, int requestsPerSecond, Map<String, String> headers) {
    this.headers = Map.copyOf(headers);
    this.target = URI.create(url);
    try {
      if (!InetAddress.getByName(target.getHost()).isLoopbackAddress()) {
        throw new IllegalArgumentException("edge load goes to loopback only, not " + url);
      }
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(url, e);
    }
    // Stopped by close(); tick() counts its own failures.
    Future<?> unused =
        ticker.scheduleAtFixedRate(
            this::tick, 0, 1_000_000L / requestsPerSecond, TimeUnit.MICROSECONDS);
  }

  private void tick() {
    if (paused) return;
    inFlight.incrementAndGet();
    HttpRequest.Builder b = HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(5));
    headers.forEach(b::header);
    HttpRequest req = b.build();
    Instant sent = Instant.now();
    // The handler counts every outcome; the chained future has nothing more to say.
    CompletableFuture<?> unusedReply =
        http.sendAsync(req, HttpResponse.BodyHandlers.ofString())
            .whenComplete(
                (resp, err) -> {
                  try {
                    if (err != null) {
                      Throwable cause = err.getCause() != null ? err.getCause() : err;
                      count(failures, cause.getClass().getSimpleName());
                      return;
                    }
                    String body = resp.body().strip();
                    int from = body.indexOf(" from ");
                    String version = from < 0 ? GATEWAY : body.substring(from + " from ".length());
                    if (resp.statusCode() >= 500) {
                      count(
                          fiveXx,
                          version + (version.equals(GATEWAY) ? " " + resp.statusCode() : ""));
                      // When the answer was sent (the request's start): the moment the user met the
                      // error.
                      firstFiveXx.putIfAbsent(version, sent);
                    } else if (from < 0) {
                      count(failures, "HTTP " + resp.statusCode());
                    } else {
                      count(ok, version);
                    }
                    if (from >= 0) lastServed.put(version, Instant.now());
                  } finally {
                    inFlight.decrementAndGet();
                  }
                });
  }

  private static void count(Map<String, AtomicLong> m, String key) {
    m.computeIfAbsent(key, k -> new AtomicLong()).incrementAndGet();
  }

  public Counts counts() {
    return new Counts(copy(ok), copy(fiveXx), copy(failures));
  }

  private static Map<String, Long> copy(Map<String, AtomicLong> m) {
    Map<String, Long> c = new TreeMap<>();
    m.forEach((k, v) -> c.put(k, v.get()));
    return c;
  }

  /** When the first request the version answered with a 5xx was sent, or null. */
  public Instant firstFiveXx(String version) {
    return firstFiveXx.get(version);
  }

  /** When the version last answered, or null. */
  public Instant lastServed(String version) {
    return lastServed.get(version);
  }

  /** Stops sending and waits for the requests in flight to finish. */
  public void pause() throws IOException {
    paused = true;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (inFlight.get() > 0 && System.nanoTime() < deadline) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException(e);
      }
    }
  }

  public void resume() {
    paused = false;
  }

  @Override
  public void close() {
    ticker.shutdownNow();
  }
}
