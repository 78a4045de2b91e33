package dev.slipway.e2e.traffic;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * A steady request load on 127.0.0.1, split between revisions by the live route weights with a
 * smooth weighted round-robin, so each share is exact rather than random. Never sends anywhere
 * but loopback.
 */
public final class LoadGenerator implements AutoCloseable {
  /** Where requests go right now: port by revision hash, with each one's weight. */
  public record Split(Map<String, Integer> portByHash, Map<String, Integer> weightByHash) {}

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "load-generator");
    t.setDaemon(true);
    return t;
  });
  private final Supplier<Split> split;
  private final Map<String, Long> credit = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> ok = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> errors = new ConcurrentHashMap<>();

  public LoadGenerator(Supplier<Split> split, int requestsPerSecond) {
    this.split = split;
    long periodMicros = 1_000_000L / requestsPerSecond;
    ticker.scheduleAtFixedRate(this::tick, 0, periodMicros, TimeUnit.MICROSECONDS);
  }

  private void tick() {
    try {
      Split s = split.get();
      String pick = pick(s.weightByHash());
      Integer port = pick == null ? null : s.portByHash().get(pick);
      if (port == null) return;
      HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).timeout(Duration.ofSeconds(5)).build();
      http.sendAsync(req, HttpResponse.BodyHandlers.discarding()).whenComplete((resp, err) -> {
        boolean good = err == null && resp.statusCode() < 500;
        (good ? ok : errors).computeIfAbsent(pick, k -> new AtomicLong()).incrementAndGet();
      });
    } catch (RuntimeException e) {
      // a revision went away between reading the split and sending; the next tick re-reads it
    }
  }

  /** Smooth weighted round-robin (as nginx does): each pick adds weights to credits, takes the largest, pays the total. */
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
