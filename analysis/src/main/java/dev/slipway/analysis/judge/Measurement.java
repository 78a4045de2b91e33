package dev.slipway.analysis.judge;

import dev.slipway.analysis.Verdict;
import dev.slipway.analysis.sequential.SequentialLook;
import java.time.Instant;
import java.util.Objects;

/**
 * One measurement of one metric, everything an auditor needs to re-check it: the resolved queries,
 * the window, where they were sent (never credentials), the values, the condition and the verdict.
 *
 * @param value the canary's value, when there was one
 * @param baselineValue the stable's value, when compared
 * @param condition what the value had to satisfy, in words
 * @param look a sequential metric's counts and statistic at this look; null for other metrics
 */
public record Measurement(
    String metric,
    Verdict verdict,
    String reason,
    Double value,
    Double baselineValue,
    String condition,
    String query,
    String baselineQuery,
    String window,
    String provider,
    Double mannWhitneyU,
    Double pValue,
    Instant startedAt,
    Instant finishedAt,
    boolean dryRun,
    SequentialLook look) {

  /** A measurement of a threshold or baseline metric (no sequential look). */
  public Measurement(
      String metric,
      Verdict verdict,
      String reason,
      Double value,
      Double baselineValue,
      String condition,
      String query,
      String baselineQuery,
      String window,
      String provider,
      Double mannWhitneyU,
      Double pValue,
      Instant startedAt,
      Instant finishedAt,
      boolean dryRun) {
    this(
        metric,
        verdict,
        reason,
        value,
        baselineValue,
        condition,
        query,
        baselineQuery,
        window,
        provider,
        mannWhitneyU,
        pValue,
        startedAt,
        finishedAt,
        dryRun,
        null);
  }

  public Measurement {
    Objects.requireNonNull(metric, "metric");
    Objects.requireNonNull(verdict, "verdict");
    if (!verdict.isTerminal())
      throw new IllegalArgumentException("a measurement has a final verdict");
    reason = reason == null ? "" : reason;
  }
}
