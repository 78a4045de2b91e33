package dev.slipway.analysis.run;

import dev.slipway.analysis.Verdict;

/** A metric's state in a few fields, small enough for Rollout status. */
public record MetricSummary(
    String name,
    Verdict verdict,
    String reason,
    Double lastValue,
    Double lastBaseline,
    String condition,
    int measurements,
    int failed,
    int inconclusive,
    int errors,
    boolean dryRun) {}
