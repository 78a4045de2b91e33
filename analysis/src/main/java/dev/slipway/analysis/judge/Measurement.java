package dev.slipway.analysis.judge;

import dev.slipway.analysis.Verdict;
import java.time.Instant;
import java.util.Objects;

/**
 * One measurement of one metric, everything an auditor needs to re-check it: the resolved queries,
 * the window, where they were sent (never credentials), the values, the condition and the verdict.
 *
 * @param value the canary's value, when there was one
 * @param baselineValue the stable's value, when compared
 * @param condition what the value had to satisfy, in words
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
    boolean dryRun) {

  public Measurement {
    Objects.requireNonNull(metric, "metric");
    Objects.requireNonNull(verdict, "verdict");
    if (!verdict.isTerminal()) throw new IllegalArgumentException("a measurement has a final verdict");
    reason = reason == null ? "" : reason;
  }
}
