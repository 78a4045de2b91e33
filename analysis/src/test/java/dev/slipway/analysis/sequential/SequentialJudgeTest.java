package dev.slipway.analysis.sequential;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.analysis.AnalysisResult;
import dev.slipway.analysis.Verdict;
import dev.slipway.analysis.judge.Measurement;
import dev.slipway.analysis.spec.Schedule;
import dev.slipway.analysis.spec.SequentialSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A sequential metric's verdict from its looks: the table of what ends a run, and how. */
class SequentialJudgeTest {
  static final Instant START = Instant.parse("2026-12-05T12:00:00Z");
  static final Schedule EVERY_SECOND = Schedule.every(Duration.ofSeconds(1), 1);
  static final SequentialSpec ERRORS =
      new SequentialSpec(
          0.05,
          0.8,
          new SequentialSpec.ErrorTest(0.005),
          null,
          Duration.ofMinutes(5),
          SequentialSpec.DEFAULT_PLANNING_WINDOW);

  static Measurement look(int second, long cn, long ce, long bn, long be) {
    Instant to = START.plusSeconds(second);
    SequentialLook l =
        new SequentialLook(
            to.minusSeconds(1),
            to,
            new Counts(cn, ce),
            new Counts(bn, be),
            null,
            null,
            null,
            null,
            null);
    return new Measurement(
        "errors",
        Verdict.Successful,
        "",
        null,
        null,
        "",
        "",
        null,
        null,
        "p",
        null,
        null,
        to,
        to,
        false,
        l);
  }

  static Measurement error(int second) {
    Instant to = START.plusSeconds(second);
    return new Measurement(
        "errors",
        Verdict.Error,
        "cannot reach prometheus",
        null,
        null,
        "",
        "",
        null,
        null,
        "p",
        null,
        null,
        to,
        to,
        false);
  }

  /**
   * Seconds 1..n of steady traffic: canary cn requests with ce errors per second, baseline
   * likewise.
   */
  static List<Measurement> steady(int n, long cn, long ce, long bn, long be) {
    List<Measurement> out = new ArrayList<>();
    for (int i = 1; i <= n; i++)
      out.add(look(i, cn, i % 10 == 0 ? ce : 0, bn, i % 10 == 0 ? be : 0));
    return out;
  }

  @Test
  void aCrossingFailsAtOnceNamingTheTestAlphaAndCounts() {
    List<Measurement> ms =
        List.of(look(1, 20, 4, 80, 0), look(2, 20, 5, 80, 1), look(3, 20, 4, 80, 0));
    AnalysisResult r = SequentialJudge.evaluate(ERRORS, EVERY_SECOND, START, ms);
    assertEquals(Verdict.Failed, r.verdict());
    assertTrue(
        r.reason().contains("errors: the canary is worse (sequential test, alpha 0.05)")
            && r.reason().contains("reached 1/alpha = 20"),
        r.reason());
  }

  @Test
  void beforeTheExposureItRuns() {
    assertEquals(
        Verdict.Running,
        SequentialJudge.evaluate(ERRORS, EVERY_SECOND, START, steady(100, 40, 2, 160, 8))
            .verdict());
    assertEquals(
        Verdict.Running,
        SequentialJudge.evaluate(ERRORS, EVERY_SECOND, START, List.of()).verdict());
  }

  @Test
  void enoughTrafficWithoutACrossingPassesSayingItsPower() {
    // 40 canary requests/s for 5 minutes at 0.5% errors, 160 baseline: 12,000 and 48,000 requests.
    AnalysisResult r =
        SequentialJudge.evaluate(ERRORS, EVERY_SECOND, START, steady(300, 40, 2, 160, 8));
    assertEquals(Verdict.Successful, r.verdict(), r.reason());
    assertTrue(r.reason().contains("power to see +0.5 pp"), r.reason());
  }

  @Test
  void thinTrafficIsInconclusiveSayingWhatItCouldHaveSeen() {
    AnalysisResult r =
        SequentialJudge.evaluate(ERRORS, EVERY_SECOND, START, steady(300, 3, 0, 12, 1));
    assertEquals(Verdict.Inconclusive, r.verdict(), r.reason());
    assertTrue(
        r.reason().startsWith("errors: at 3 req/s to the canary, 5 min can only detect +")
            && r.reason().contains("extend the step"),
        r.reason());
  }

  @Test
  void noTrafficIsNeverAPass() {
    List<Measurement> silent = new ArrayList<>();
    for (int i = 1; i <= 300; i++) silent.add(look(i, 0, 0, 0, 0));
    AnalysisResult r = SequentialJudge.evaluate(ERRORS, EVERY_SECOND, START, silent);
    assertEquals(Verdict.Inconclusive, r.verdict());
    assertTrue(r.reason().contains("no canary requests"), r.reason());
    List<Measurement> oneSided = steady(300, 0, 0, 160, 8);
    assertEquals(
        Verdict.Inconclusive,
        SequentialJudge.evaluate(ERRORS, EVERY_SECOND, START, oneSided).verdict(),
        "a missing canary counter is Inconclusive, never Successful");
  }

  @Test
  void providerErrorsPastTheLimitAreErrorAndALastErrorNeverPasses() {
    List<Measurement> ms = new ArrayList<>(steady(10, 40, 2, 160, 8));
    for (int i = 11; i <= 16; i++) ms.add(error(i));
    assertEquals(
        Verdict.Error, SequentialJudge.evaluate(ERRORS, EVERY_SECOND, START, ms).verdict());
    List<Measurement> endsInError = new ArrayList<>(steady(299, 40, 2, 160, 8));
    endsInError.add(look(300, 40, 0, 160, 0));
    endsInError.add(error(301));
    assertEquals(
        Verdict.Error,
        SequentialJudge.evaluate(ERRORS, EVERY_SECOND, START, endsInError).verdict());
  }

  @Test
  void latencyWithoutAPlanIsInconclusive() {
    SequentialSpec latency =
        new SequentialSpec(
            0.05,
            0.8,
            null,
            new SequentialSpec.LatencyTest(0.99, 0.2),
            Duration.ofSeconds(10),
            SequentialSpec.DEFAULT_PLANNING_WINDOW);
    List<Measurement> ms = new ArrayList<>();
    for (int i = 1; i <= 10; i++) {
      Instant to = START.plusSeconds(i);
      SequentialLook l =
          new SequentialLook(to.minusSeconds(1), to, null, null, null, null, null, null, null);
      ms.add(
          new Measurement(
              "latency",
              Verdict.Successful,
              "",
              null,
              null,
              "",
              "",
              null,
              null,
              "p",
              null,
              null,
              to,
              to,
              false,
              l));
    }
    AnalysisResult r = SequentialJudge.evaluate(latency, EVERY_SECOND, START, ms);
    assertEquals(Verdict.Inconclusive, r.verdict());
    assertTrue(r.reason().contains("no baseline latency histogram"), r.reason());
  }
}
