package dev.slipway.e2e.traffic;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * A steady request load, split between revisions by the live route weights with a smooth weighted
 * round-robin, so each share is exact rather than random. It sends only to targets its guard
 * allows: loopback, or the pods on the bridge the harness made.
 */
public final class LoadGenerator implements AutoCloseable {
  /**
   * Where requests go right now: "host:port" targets by revision hash, with each revision's weight.
   */
  public record Split(Map<String, List<String>> targetsByHash, Map<String, Integer> weightByHash) {}

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final ScheduledExecutorService ticker =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "load-generator");
            t.setDaemon(true);
            return t;
          });
  private final Supplier<Split> split;
  private final Predicate<String> allowedHost;
  private final AtomicLong turn = new AtomicLong();
  private final Map<String, Long> credit = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> ok = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> errors = new ConcurrentHashMap<>();

  public LoadGenerator(
      Supplier<Split> split, int requestsPerSecond, Predicate<String> allowedHost) {
    this.split = split;
    this.allowedHost = allowedHost;
    long periodMicros = 1_000_000L / requestsPerSecond;
    // Stopped by close(); tick() counts its own failures.
    Future<?> unused =
        ticker.scheduleAtFixedRate(this::tick, 0, periodMicros, TimeUnit.MICROSECONDS);
  }

  private void tick() {
    try {
      Split s = split.get();
      String pick = pick(s.weightByHash());
      List<String> targets = pick == null ? null : s.targetsByHash().get(pick);
      if (targets == null || targets.isEmpty()) return;
      String target = targets.get((int) (turn.getAndIncrement() % targets.size()));
      if (!allowedHost.test(target.substring(0, target.lastIndexOf(':')))) {
        throw new IllegalStateException("refusing to send load to " + target);
      }
      HttpRequest req =
          HttpRequest.newBuilder(URI.create("http://" + target + "/"))
              .timeout(Duration.ofSeconds(5))
              .build();
      // The handler counts every outcome; the chained future has nothing more to say.
      CompletableFuture<?> unusedReply =
          http.sendAsync(req, HttpResponse.BodyHandlers.discarding())
              .whenComplete(
                  (resp, err) -> {
                    boolean good = err == null && resp.statusCode() < 500;
                    (good ? ok : errors)
                        .computeIfAbsent(pick, k -> new AtomicLong())
                        .incrementAndGet();
                  });
    } catch (RuntimeException e) {
      // a revision went away between reading the split and sending; the next tick re-reads it
    }
  }

  /**
   * Smooth weighted round-robin (as nginx does): each pick adds weights to credits, takes the
   * largest, pays the total.
   */
  private String pick(Map<String, Integer> weights) {
    long total = 0;
    String best = null;
    for (Map.Entry<String, Integer> e : weights.entrySet()) {
      if (e.getValue() <= 0) continue;
      total += e.getValue();
      long c = credit.merge(e.getKey(), (long) e.getValue(), Long::sum);
      if (best == null || c > credit.get(best)) best = e.getKey();
    }
    if (best != null) credit.merge(best, -total, Long::sum);
    credit.keySet().retainAll(weights.keySet());
    return best;
  }

  public long ok(String hash) {
    AtomicLong v = ok.get(hash);
    return v == null ? 0 : v.get();
  }

  public long errors(String hash) {
    AtomicLong v = errors.get(hash);
    return v == null ? 0 : v.get();
  }

  @Override
  public void close() {
    ticker.shutdownNow();
  }
}
