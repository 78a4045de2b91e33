package dev.slipway.e2e.bench.decision;

import dev.slipway.analysis.Verdict;
import dev.slipway.analysis.judge.Measurement;
import dev.slipway.analysis.promql.AnalysisArgs;
import dev.slipway.analysis.provider.CloudWatchProvider;
import dev.slipway.analysis.provider.CountingApi;
import dev.slipway.analysis.provider.DatadogProvider;
import dev.slipway.analysis.provider.LocalApi;
import dev.slipway.analysis.provider.MetricProvider;
import dev.slipway.analysis.provider.MicronautHttpTransport;
import dev.slipway.analysis.provider.NewRelicProvider;
import dev.slipway.analysis.provider.Resilience;
import dev.slipway.analysis.run.SequentialMeasurer;
import dev.slipway.analysis.sequential.Counts;
import dev.slipway.analysis.sequential.Look;
import dev.slipway.analysis.sequential.MixturePrior;
import dev.slipway.analysis.sequential.RatioEProcess;
import dev.slipway.analysis.spec.CloudWatchTarget;
import dev.slipway.analysis.spec.DatadogTarget;
import dev.slipway.analysis.spec.MetricSource;
import dev.slipway.analysis.spec.MetricSpec;
import dev.slipway.analysis.spec.NewRelicTarget;
import dev.slipway.analysis.spec.Query;
import dev.slipway.analysis.spec.Schedule;
import dev.slipway.analysis.spec.SequentialSpec;
import dev.slipway.analysis.testing.SettableClock;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The decision benchmark's request streams counted by a hosted provider (issue 30): each run's
 * per-second counts are served by Datadog's, New Relic's and CloudWatch's query APIs on 127.0.0.1
 * ({@link CountingApi}), and the controller's own look ({@link SequentialMeasurer} with the real
 * clients) asks them every 10 s for each side's requests and errors. The same streams also go
 * straight into the judge at the same looks; the two must roll back at the same look in every run,
 * so the decision figures printed for the provider path are the judge's own, not a new
 * approximation.
 */
final class ProviderCounts implements AutoCloseable {
  static final int LOOK_SECONDS = 10;

  /** The hosted providers that total counts, taken in turn. */
  static final List<String> PROVIDERS = List.of("datadog", "newrelic", "cloudwatch");

  static final Instant START = Instant.parse("2026-12-06T12:00:00Z");
  static final AnalysisArgs ARGS =
      new AnalysisArgs(
          "shop", "prod", "stable1", "canary2", "shop-stable", "shop-canary", Map.of());

  private final LocalApi api;
  private final MicronautHttpTransport transport =
      new MicronautHttpTransport(Duration.ofSeconds(5));
  private final Resilience resilience = LocalApi.quickRetries();
  private final double alpha;

  ProviderCounts(double alpha) throws Exception {
    this.api = new LocalApi();
    this.alpha = alpha;
  }

  /** One run's outcome both ways: the second each rolled back at, or -1. */
  record Run(String provider, int viaProvider, int direct, long calls) {}

  /**
   * Judges one run's streams (canary and baseline, second by second) through {@code provider}
   * ("datadog", "newrelic" or "cloudwatch") and directly, looking every 10 s up to {@code horizon}
   * seconds.
   */
  Run judge(String provider, long[][] canary, long[][] baseline, int horizon) {
    long[] calls = {0};
    CountingApi.Counter counts = CountingApi.perSecond(START, "canary2", canary, baseline);
    api.answering(
        CountingApi.answering(
            (query, from, to) -> {
              calls[0]++;
              return counts.count(query, from, to);
            }));
    MetricSource source =
        switch (provider) {
          case "datadog" ->
              new DatadogTarget(
                  URI.create(api.base()), DatadogTarget.Version.V2, "avg", "a", "b", null);
          case "newrelic" ->
              new NewRelicTarget(URI.create(api.base() + "/graphql"), 1, "k", null, null);
          default ->
              new CloudWatchTarget(
                  URI.create(api.base()),
                  "eu-west-1",
                  "AKID",
                  "s3cret",
                  null,
                  Duration.ofSeconds(5));
        };
    try (Closeable client = provider(source)) {
      return judge(provider, source, client.provider(), canary, baseline, horizon, calls);
    }
  }

  /** A provider's client, closed after its run (CloudWatch's holds an HTTP client of its own). */
  private interface Closeable extends AutoCloseable {
    MetricProvider provider();

    @Override
    void close();
  }

  private Closeable provider(MetricSource source) {
    MetricProvider p =
        source instanceof DatadogTarget d
            ? new DatadogProvider(d, transport, resilience)
            : source instanceof NewRelicTarget n
                ? new NewRelicProvider(n, transport, resilience)
                : new CloudWatchProvider((CloudWatchTarget) source, resilience);
    return new Closeable() {
      @Override
      public MetricProvider provider() {
        return p;
      }

      @Override
      public void close() {
        if (p instanceof CloudWatchProvider c) c.close();
      }
    };
  }

  /** Each provider's counts queries: requests, then errors. */
  static String[] queries(String provider) {
    return switch (provider) {
      case "datadog" ->
          new String[] {
            "sum:requests{version:{{args.revision}}}.as_count()",
            "sum:errors{version:{{args.revision}}}.as_count()"
          };
      case "newrelic" ->
          new String[] {
            "SELECT count(*) FROM T WHERE v = '{{args.revision}}'",
            "SELECT count(*) FROM T WHERE v = '{{args.revision}}' AND error IS true"
          };
      default -> new String[] {cloudWatch("Requests"), cloudWatch("Errors_5XX")};
    };
  }

  /** A CloudWatch Sum of high-resolution (10 s) points, the side's revision as a dimension. */
  private static String cloudWatch(String metricName) {
    return "[{\"id\":\"c\",\"metricStat\":{\"metric\":{\"namespace\":\"Shop\",\"metricName\":\""
        + metricName
        + "\",\"dimensions\":[{\"name\":\"Revision\",\"value\":\"{{args.revision}}\"}]},"
        + "\"period\":"
        + LOOK_SECONDS
        + ",\"stat\":\"Sum\"}}]";
  }

  private Run judge(
      String provider,
      MetricSource source,
      MetricProvider p,
      long[][] canary,
      long[][] baseline,
      int horizon,
      long[] calls) {
    String[] q = queries(provider);
    MetricSpec m =
        new MetricSpec(
            "errors",
            new Query.Sequential(
                new SequentialSpec(
                    alpha,
                    0.8,
                    new SequentialSpec.ErrorTest(0.01),
                    null,
                    Duration.ofSeconds(horizon),
                    Duration.ofMinutes(10),
                    new SequentialSpec.CountQueries(q[0], q[1], Duration.ZERO))),
            Duration.ofMinutes(1),
            null,
            null,
            Schedule.every(Duration.ofSeconds(LOOK_SECONDS), horizon / LOOK_SECONDS),
            false,
            source);
    SettableClock clock = new SettableClock(START);
    SequentialMeasurer looks = new SequentialMeasurer(clock);
    List<Measurement> taken = new ArrayList<>();
    int via = -1;
    RatioEProcess direct = RatioEProcess.start(MixturePrior.DEFAULT);
    int directAt = -1;
    for (int t = LOOK_SECONDS; t <= horizon; t += LOOK_SECONDS) {
      clock.set(START.plusSeconds(t));
      if (via < 0) {
        Measurement look = looks.look(m, ARGS, p, START, taken);
        if (look.verdict() == Verdict.Error) {
          throw new IllegalStateException(provider + " look at " + t + " s: " + look.reason());
        }
        taken.add(look);
        if (look.verdict() == Verdict.Failed) via = t;
      }
      if (directAt < 0) {
        direct =
            direct.after(
                new Look(
                    clock.instant(),
                    sum(canary, t - LOOK_SECONDS, t),
                    sum(baseline, t - LOOK_SECONDS, t)));
        if (direct.crossed(alpha)) directAt = t;
      }
      if (via >= 0 && directAt >= 0) break;
    }
    return new Run(provider, via, directAt, calls[0]);
  }

  private static Counts sum(long[][] side, int from, int to) {
    long n = 0;
    long e = 0;
    for (int t = from; t < to && t < side.length; t++) {
      n += side[t][0];
      e += side[t][1];
    }
    return new Counts(n, e);
  }

  @Override
  public void close() {
    transport.close();
    resilience.close();
    api.close();
  }
}
