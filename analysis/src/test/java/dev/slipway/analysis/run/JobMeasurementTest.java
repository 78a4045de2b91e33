package dev.slipway.analysis.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.analysis.Verdict;
import dev.slipway.analysis.judge.Measurement;
import dev.slipway.analysis.promql.AnalysisArgs;
import dev.slipway.analysis.provider.JobRunner;
import dev.slipway.analysis.spec.JobCheck;
import dev.slipway.analysis.spec.MetricSource;
import dev.slipway.analysis.spec.MetricSpec;
import dev.slipway.analysis.spec.Query;
import dev.slipway.analysis.spec.Schedule;
import dev.slipway.analysis.spec.Threshold;
import dev.slipway.analysis.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Job checks across passes: nothing is measured while the Job runs, every pass asks for the same
 * Job, its outcome is the verdict, and the next Job is due an interval after the last one was
 * created.
 */
class JobMeasurementTest {
  static final Instant T0 = Instant.parse("2026-12-06T10:00:00Z");
  static final AnalysisArgs ARGS =
      new AnalysisArgs("shop", "prod", "s1", "c1", "shop-stable", "shop-canary", Map.of());

  final SettableClock clock = new SettableClock(T0);

  /** A stand-in cluster: each Job runs for a set time, then ends as its script says. */
  static final class ScriptedJobs implements JobRunner {
    final Map<String, Instant> created = new LinkedHashMap<>();
    final List<String> asked = new ArrayList<>();
    final List<Verdict> outcomes;
    final Duration runs;
    final SettableClock clock;

    ScriptedJobs(SettableClock clock, Duration runs, Verdict... outcomes) {
      this.clock = clock;
      this.runs = runs;
      this.outcomes = List.of(outcomes);
    }

    @Override
    public Observation observe(Request r) {
      asked.add(r.name());
      Instant at = created.computeIfAbsent(r.name(), n -> clock.instant());
      if (clock.instant().isBefore(at.plus(runs))) return new Pending("running");
      int i = new ArrayList<>(created.keySet()).indexOf(r.name());
      return new Finished(outcomes.get(Math.min(i, outcomes.size() - 1)), "job ended", at);
    }
  }

  static MetricSpec job(int count, Duration interval) {
    return new MetricSpec(
        "smoke",
        new Query.Job(new JobCheck("{}")),
        Duration.ofMinutes(1),
        null,
        null,
        Schedule.every(interval, count),
        false,
        MetricSource.Job.INSTANCE);
  }

  AnalysisRun pass(AnalysisDriver driver, AnalysisRun run, Duration later) {
    clock.advance(later);
    return driver.advance(run);
  }

  @Test
  void aRunningJobIsNoMeasurementAndEveryPassAsksForTheSameJob() {
    ScriptedJobs jobs = new ScriptedJobs(clock, Duration.ofSeconds(20), Verdict.Successful);
    AnalysisDriver driver = new AnalysisDriver(Providers.withJobs(s -> null, jobs), clock);
    AnalysisRun run = AnalysisRun.start(List.of(job(1, Duration.ofSeconds(30))), ARGS, T0);
    for (int i = 0; i < 4; i++) {
      run = pass(driver, run, Duration.ofSeconds(i == 0 ? 0 : 5));
      assertTrue(run.of("smoke").isEmpty(), "no measurement while the Job runs");
      assertEquals(Verdict.Running, run.overall().verdict());
    }
    run = pass(driver, run, Duration.ofSeconds(6));
    assertEquals(1, run.of("smoke").size());
    assertEquals(1, jobs.asked.stream().distinct().count(), "one Job, asked for " + jobs.asked);
    Measurement m = run.of("smoke").get(0);
    assertEquals(Verdict.Successful, m.verdict());
    assertEquals(T0, m.startedAt(), "the measurement starts when the Job was created");
    assertEquals("Job prod/" + jobs.asked.get(0), m.query());
    assertEquals("job", m.provider());
    assertEquals(1.0, m.value());
    assertEquals(Verdict.Successful, run.overall().verdict());
  }

  @Test
  void theOutcomeIsTheVerdictAndTheNextJobIsDueAnIntervalAfterTheLastWasCreated() {
    ScriptedJobs jobs =
        new ScriptedJobs(clock, Duration.ofSeconds(10), Verdict.Successful, Verdict.Failed);
    AnalysisDriver driver = new AnalysisDriver(Providers.withJobs(s -> null, jobs), clock);
    AnalysisRun run = AnalysisRun.start(List.of(job(3, Duration.ofSeconds(30))), ARGS, T0);
    run = pass(driver, run, Duration.ZERO);
    run = pass(driver, run, Duration.ofSeconds(10));
    assertEquals(List.of(Verdict.Successful), verdicts(run));
    run = pass(driver, run, Duration.ofSeconds(19));
    assertEquals(1, jobs.created.size(), "the second Job is not due 29 s after the first");
    run = pass(driver, run, Duration.ofSeconds(1));
    assertEquals(2, jobs.created.size());
    assertNotEquals(jobs.asked.get(0), jobs.asked.get(jobs.asked.size() - 1));
    run = pass(driver, run, Duration.ofSeconds(10));
    assertEquals(List.of(Verdict.Successful, Verdict.Failed), verdicts(run));
    assertEquals(Verdict.Failed, run.overall().verdict(), "failureLimit 0: one failed Job fails");
    assertEquals(0.0, run.of("smoke").get(1).value());
  }

  @Test
  void aDeadlineOrAControllerWithoutJobsIsAnErrorNeverASuccess() {
    ScriptedJobs jobs = new ScriptedJobs(clock, Duration.ZERO, Verdict.Error);
    AnalysisDriver driver = new AnalysisDriver(Providers.withJobs(s -> null, jobs), clock);
    AnalysisRun run = AnalysisRun.start(List.of(job(1, Duration.ofSeconds(30))), ARGS, T0);
    run = pass(driver, run, Duration.ZERO);
    assertEquals(Verdict.Error, run.of("smoke").get(0).verdict());
    assertEquals(null, run.of("smoke").get(0).value());

    AnalysisDriver none = new AnalysisDriver(s -> null, clock);
    AnalysisRun other = AnalysisRun.start(List.of(job(1, Duration.ofSeconds(30))), ARGS, T0);
    other = none.advance(other);
    assertEquals(Verdict.Error, other.of("smoke").get(0).verdict());
    assertTrue(other.of("smoke").get(0).reason().contains("not configured"));
  }

  @Test
  void namesAreFixedPerRunAndMeasurementAndAreDnsLabels() {
    Instant start = T0;
    String a = JobNames.of(ARGS, "smoke", start, 0);
    assertEquals(a, JobNames.of(ARGS, "smoke", start, 0));
    assertNotEquals(a, JobNames.of(ARGS, "smoke", start, 1));
    assertNotEquals(a, JobNames.of(ARGS, "smoke", start.plusMillis(1), 0));
    assertNotEquals(
        a,
        JobNames.of(
            new AnalysisArgs("shop", "prod", "s1", "c2", "s", "c", Map.of()), "smoke", start, 0));
    assertTrue(a.startsWith("shop-smoke-0-"), a);
    String longOne =
        JobNames.of(
            new AnalysisArgs(
                "a.very.long-rollout-name-" + "x".repeat(200), "ns", "", "", "", "", Map.of()),
            "a-metric-with-a-long-name-too",
            start,
            999);
    assertTrue(longOne.length() <= 63, longOne);
    assertTrue(longOne.matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?"), longOne);
  }

  @Test
  void aJobCheckHasNoThresholdNoBaselineAndIsItsOwnProvider() {
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new MetricSpec(
                "smoke",
                new Query.Job(new JobCheck("{}")),
                Duration.ofMinutes(1),
                Threshold.atMost(1),
                null,
                Schedule.once(),
                false,
                MetricSource.Job.INSTANCE));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new MetricSpec(
                "smoke",
                new Query.Custom("up"),
                Duration.ofMinutes(1),
                Threshold.atMost(1),
                null,
                Schedule.once(),
                false,
                MetricSource.Job.INSTANCE));
    assertThrows(
        IllegalArgumentException.class,
        () -> new JobCheck("{}", Duration.ofMinutes(1), Duration.ofSeconds(30), 20));
    assertThrows(IllegalArgumentException.class, () -> new JobCheck("{}", null, null, 201));
  }

  static List<Verdict> verdicts(AnalysisRun run) {
    return run.of("smoke").stream().map(Measurement::verdict).toList();
  }
}
