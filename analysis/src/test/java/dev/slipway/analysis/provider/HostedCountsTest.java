package dev.slipway.analysis.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.analysis.Verdict;
import dev.slipway.analysis.judge.Measurement;
import dev.slipway.analysis.promql.AnalysisArgs;
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
import dev.slipway.analysis.spec.PrometheusTarget;
import dev.slipway.analysis.spec.Query;
import dev.slipway.analysis.spec.Schedule;
import dev.slipway.analysis.spec.SequentialSpec;
import dev.slipway.analysis.testing.SettableClock;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The sequential judge with its counts from a hosted provider (issue 30): each look asks Datadog
 * (v2 and v1), New Relic or CloudWatch, through their real clients against {@link CountingApi} on
 * 127.0.0.1, for each side's requests and errors over the look's interval, and reaches exactly the
 * e-values and the rollback look that the same counts give the judge directly.
 */
class HostedCountsTest {
  static final Instant START = Instant.parse("2026-12-06T12:00:00Z");
  static final AnalysisArgs ARGS =
      new AnalysisArgs(
          "shop", "prod", "stable1", "canary2", "shop-stable", "shop-canary", Map.of());
  static final String DD_REQUESTS =
      "sum:trace.http.request.hits{version:{{args.revision}}}.as_count()";
  static final String DD_ERRORS =
      "sum:trace.http.request.errors{version:{{args.revision}}}.as_count()";
  static final String NR_REQUESTS =
      "SELECT count(*) FROM Transaction WHERE appName = 'shop' AND revision = '{{args.revision}}'";
  static final String NR_ERRORS = NR_REQUESTS + " AND error IS true";

  static String cloudWatchCount(String id, String metricName, int period) {
    return "[{\"id\":\""
        + id
        + "\",\"metricStat\":{\"metric\":{\"namespace\":\"AWS/ApplicationELB\",\"metricName\":\""
        + metricName
        + "\",\"dimensions\":[{\"name\":\"TargetGroup\",\"value\":\"targetgroup/{{args.revision}}/1\"}]},"
        + "\"period\":"
        + period
        + ",\"stat\":\"Sum\"}}]";
  }

  /** High-resolution metrics (10 s periods), as the looks come every 10 s. */
  static final String CW_REQUESTS = cloudWatchCount("requests", "RequestCount", 10);

  static final String CW_ERRORS = cloudWatchCount("errors", "HTTPCode_Target_5XX_Count", 10);

  static LocalApi api;
  static MicronautHttpTransport transport;
  static Resilience resilience;

  @BeforeAll
  static void up() throws Exception {
    api = new LocalApi();
    transport = new MicronautHttpTransport(Duration.ofSeconds(5));
    resilience = LocalApi.quickRetries();
  }

  @AfterAll
  static void down() {
    transport.close();
    resilience.close();
    api.close();
  }

  /** Per second of the canary: requests and errors of each side, seeded. */
  record Stream(long[] canary, long[] canaryErrors, long[] base, long[] baseErrors) {
    static Stream of(long seed, int seconds, double canaryRate, double errorShare) {
      SplittableRandom rng = new SplittableRandom(seed);
      Stream s =
          new Stream(new long[seconds], new long[seconds], new long[seconds], new long[seconds]);
      for (int t = 0; t < seconds; t++) {
        s.canary[t] = 30 + rng.nextInt(21);
        s.base[t] = 150 + rng.nextInt(21);
        for (int i = 0; i < s.canary[t]; i++)
          if (rng.nextDouble() < canaryRate) s.canaryErrors[t]++;
        for (int i = 0; i < s.base[t]; i++) if (rng.nextDouble() < errorShare) s.baseErrors[t]++;
      }
      return s;
    }

    /** What a query counts, as {@link CountingApi#perSecond} reads the streams. */
    long count(String query, long fromMillis, long toMillis) {
      return CountingApi.perSecond(
              START, "canary2", pairs(canary, canaryErrors), pairs(base, baseErrors))
          .count(query, fromMillis, toMillis);
    }

    private static long[][] pairs(long[] requests, long[] errors) {
      long[][] out = new long[requests.length][];
      for (int t = 0; t < requests.length; t++) out[t] = new long[] {requests[t], errors[t]};
      return out;
    }

    Counts between(long[] trials, long[] events, Instant from, Instant to) {
      long n = 0;
      long e = 0;
      for (int t = 0; t < trials.length; t++) {
        Instant at = START.plusSeconds(t);
        if (!at.isBefore(from) && at.isBefore(to)) {
          n += trials[t];
          e += events[t];
        }
      }
      return new Counts(n, e);
    }
  }

  static MetricSpec metric(MetricSource source, String requests, String errors, Duration delay) {
    return new MetricSpec(
        "errors",
        new Query.Sequential(
            new SequentialSpec(
                0.05,
                0.8,
                new SequentialSpec.ErrorTest(0.02),
                null,
                Duration.ofMinutes(5),
                Duration.ofMinutes(10),
                new SequentialSpec.CountQueries(requests, errors, delay))),
        Duration.ofMinutes(1),
        null,
        null,
        Schedule.every(Duration.ofSeconds(10), 60),
        false,
        source);
  }

  static DatadogProvider datadog(DatadogTarget.Version v) {
    return new DatadogProvider(
        new DatadogTarget(URI.create(api.base()), v, "avg", "api-k3y", "app-k3y", null),
        transport,
        resilience);
  }

  static NewRelicProvider newRelic() {
    return new NewRelicProvider(
        new NewRelicTarget(URI.create(api.base() + "/graphql"), 1234567, "NRAK-k3y", null, null),
        transport,
        resilience);
  }

  static CloudWatchProvider cloudWatch() {
    return new CloudWatchProvider(cw(), resilience);
  }

  static CloudWatchTarget cw() {
    return new CloudWatchTarget(
        URI.create(api.base()), "eu-west-1", "AKIDEXAMPLE", "s3cret", null, Duration.ofSeconds(3));
  }

  /** Looks every 10 s until a crossing or the horizon; the looks' measurements. */
  static List<Measurement> walk(MetricSpec m, MetricProvider p, Stream s, int seconds) {
    return walk(m, p, s, seconds, START);
  }

  /** The same for a run that started at {@code runStart}. */
  static List<Measurement> walk(
      MetricSpec m, MetricProvider p, Stream s, int seconds, Instant runStart) {
    api.answering(CountingApi.answering(s::count));
    SettableClock clock = new SettableClock(START);
    SequentialMeasurer looks = new SequentialMeasurer(clock);
    List<Measurement> out = new ArrayList<>();
    for (int t = 10; t <= seconds; t += 10) {
      clock.set(START.plusSeconds(t));
      if (clock.instant().isBefore(runStart)) continue;
      Measurement taken = looks.look(m, ARGS, p, runStart, out);
      out.add(taken);
      if (taken.verdict() == Verdict.Failed || taken.verdict() == Verdict.Error) break;
    }
    return out;
  }

  /** The same looks' counts straight from the stream into the judge: the look it crosses at. */
  static void sameAsDirect(List<Measurement> looked, Stream s) {
    RatioEProcess p = RatioEProcess.start(MixturePrior.DEFAULT);
    for (Measurement m : looked) {
      if (m.look() == null) continue;
      Counts c = s.between(s.canary, s.canaryErrors, m.look().from(), m.look().to());
      Counts b = s.between(s.base, s.baseErrors, m.look().from(), m.look().to());
      assertEquals(c, m.look().errorsCanary(), "canary counts of " + m.look());
      assertEquals(b, m.look().errorsBaseline(), "baseline counts of " + m.look());
      p = p.after(new Look(m.look().to(), c, b));
      assertEquals(p.logE(), m.look().errorsLogE(), 1e-9, "log e-value at " + m.look().to());
      assertEquals(p.crossed(0.05), m.verdict() == Verdict.Failed, m.reason());
    }
  }

  @Test
  void aRegressionCountedByEachProviderIsRolledBackAtTheLookItsCountsCross() {
    Stream bad = Stream.of(7, 600, 0.06, 0.005);
    Map<String, Object[]> ways =
        Map.of(
            "datadog v2", new Object[] {datadog(DatadogTarget.Version.V2), DD_REQUESTS, DD_ERRORS},
            "datadog v1", new Object[] {datadog(DatadogTarget.Version.V1), DD_REQUESTS, DD_ERRORS},
            "new relic", new Object[] {newRelic(), NR_REQUESTS, NR_ERRORS},
            "cloudwatch", new Object[] {cloudWatch(), CW_REQUESTS, CW_ERRORS});
    List<Integer> rolledBackAt = new ArrayList<>();
    for (Map.Entry<String, Object[]> w : ways.entrySet()) {
      MetricProvider p = (MetricProvider) w.getValue()[0];
      MetricSource source =
          p instanceof NewRelicProvider ? nr() : p instanceof CloudWatchProvider ? cw() : dd();
      List<Measurement> looked =
          walk(
              metric(source, (String) w.getValue()[1], (String) w.getValue()[2], Duration.ZERO),
              p,
              bad,
              600);
      Measurement last = looked.get(looked.size() - 1);
      assertEquals(Verdict.Failed, last.verdict(), w.getKey() + ": " + last.reason());
      sameAsDirect(looked, bad);
      rolledBackAt.add(looked.size() * 10);
    }
    // The four clients read the same counts: the same look crosses.
    assertEquals(1, rolledBackAt.stream().distinct().count(), rolledBackAt.toString());
    assertTrue(
        rolledBackAt.get(0) <= 120, "6% against 0.5% is seen within 2 minutes: " + rolledBackAt);
  }

  @Test
  void aSameRateCanaryCountedByDatadogIsNeverRolledBackAndEveryLookIsTheDirectOne() {
    Stream same = Stream.of(11, 300, 0.005, 0.005);
    List<Measurement> looked =
        walk(
            metric(dd(), DD_REQUESTS, DD_ERRORS, Duration.ZERO),
            datadog(DatadogTarget.Version.V2),
            same,
            300);
    assertEquals(30, looked.size());
    looked.forEach(m -> assertEquals(Verdict.Successful, m.verdict(), m.reason()));
    sameAsDirect(looked, same);
  }

  @Test
  void eachIntervalEndsTheIngestDelayBeforeItsLookAndNothingIsAskedBeforeTheFirst() {
    Stream s = Stream.of(3, 300, 0.005, 0.005);
    List<Measurement> looked =
        walk(
            metric(dd(), DD_REQUESTS, DD_ERRORS, Duration.ofSeconds(45)),
            datadog(DatadogTarget.Version.V2),
            s,
            120);
    for (int i = 0; i < 4; i++) {
      assertEquals(Verdict.Inconclusive, looked.get(i).verdict());
      assertTrue(looked.get(i).reason().contains("ingest delay (45 s)"), looked.get(i).reason());
    }
    // Looks at 50 s, 60 s, ...: intervals [0, 5), [5, 15), ... seconds after the start.
    assertEquals(START, looked.get(4).look().from());
    assertEquals(START.plusSeconds(5), looked.get(4).look().to());
    assertEquals(START.plusSeconds(5), looked.get(5).look().from());
    assertEquals(START.plusSeconds(15), looked.get(5).look().to());
    sameAsDirect(looked, s);
  }

  /**
   * CloudWatch totals whole periods and rounds a start down to one: a look between bounds would
   * count a period twice. With minute periods and looks every 10 s from a run started 25 s past a
   * minute, every interval runs from one minute's bound to another's, none overlaps, and each count
   * is the stream's over it.
   */
  @Test
  void cloudWatchIntervalsStartAndEndOnItsPeriodsSoNoPeriodIsCountedTwice() {
    Stream s = Stream.of(13, 400, 0.005, 0.005);
    Instant runStart = START.plusSeconds(25);
    List<Measurement> looked =
        walk(
            metric(
                cw(),
                cloudWatchCount("requests", "RequestCount", 60),
                cloudWatchCount("errors", "HTTPCode_Target_5XX_Count", 60),
                Duration.ZERO),
            cloudWatch(),
            s,
            400,
            runStart);
    List<Measurement> judged = looked.stream().filter(m -> m.look() != null).toList();
    assertEquals(START.plusSeconds(60), judged.get(0).look().from(), "the first whole minute");
    assertEquals(START.plusSeconds(120), judged.get(0).look().to());
    for (int i = 1; i < judged.size(); i++) {
      assertEquals(judged.get(i - 1).look().to(), judged.get(i).look().from());
      assertEquals(0, judged.get(i).look().to().getEpochSecond() % 60, "ends on a minute");
    }
    assertEquals(5, judged.size(), "one look a minute, from 120 s to 400 s");
    Measurement waiting = looked.get(0);
    assertEquals(Verdict.Inconclusive, waiting.verdict());
    assertTrue(waiting.reason().contains("a whole period (60 s)"), waiting.reason());
    sameAsDirect(looked, s);
  }

  @Test
  void noErrorsReadAsNoneAndSayItAnOutageIsAnErrorAndABadQueryAsksNothing() {
    // No canary errors at all: Datadog answers no data for them, read as 0 and named.
    Stream clean = Stream.of(5, 60, 0, 0.005);
    Measurement first =
        walk(
                metric(dd(), DD_REQUESTS, DD_ERRORS, Duration.ZERO),
                datadog(DatadogTarget.Version.V2),
                clean,
                10)
            .get(0);
    assertEquals(Verdict.Successful, first.verdict(), first.reason());
    assertTrue(first.reason().contains("no data, read as 0: canary errors"), first.reason());
    assertEquals(0, first.look().errorsCanary().events());

    api.answers(LocalApi.status(503, "{}"));
    Measurement down =
        new SequentialMeasurer(Clock.fixed(START.plusSeconds(10), ZoneOffset.UTC))
            .look(
                metric(dd(), DD_REQUESTS, DD_ERRORS, Duration.ZERO),
                ARGS,
                datadog(DatadogTarget.Version.V2),
                START,
                List.of());
    assertEquals(Verdict.Error, down.verdict(), down.reason());
    assertEquals(3, api.requests.size(), "retried, then an error: never a count of 0");

    api.answers(LocalApi.ok("{}"));
    Measurement windowed =
        new SequentialMeasurer(Clock.fixed(START.plusSeconds(10), ZoneOffset.UTC))
            .look(
                metric(nr(), NR_REQUESTS + " SINCE 1 hour ago", NR_ERRORS, Duration.ZERO),
                ARGS,
                newRelic(),
                START,
                List.of());
    assertEquals(Verdict.Error, windowed.verdict());
    assertTrue(windowed.reason().contains("drop SINCE"), windowed.reason());
    assertEquals(List.of(), api.requests);
  }

  @Test
  void countsAreNeverAskedOfAPrometheusAndRunTheErrorsTestOnly() {
    IllegalArgumentException prom =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                metric(
                    PrometheusTarget.at("http://127.0.0.1:9090"),
                    DD_REQUESTS,
                    DD_ERRORS,
                    Duration.ZERO));
    assertTrue(prom.getMessage().contains("through the profile: drop counts"), prom.getMessage());
    IllegalArgumentException latency =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new SequentialSpec(
                    0.05,
                    0.8,
                    new SequentialSpec.ErrorTest(0.02),
                    new SequentialSpec.LatencyTest(0.99, 0.2),
                    Duration.ofMinutes(5),
                    Duration.ofMinutes(10),
                    new SequentialSpec.CountQueries(DD_REQUESTS, DD_ERRORS, Duration.ZERO)));
    assertTrue(latency.getMessage().contains("errors test only"), latency.getMessage());
  }

  static MetricSource dd() {
    return new DatadogTarget(
        URI.create(api.base()), DatadogTarget.Version.V2, "avg", "a", "b", null);
  }

  static MetricSource nr() {
    return new NewRelicTarget(URI.create(api.base() + "/graphql"), 1, "k", null, null);
  }
}
