package dev.slipway.analysis;

import java.util.Objects;

/** A verdict with the reason a person can act on. */
public record AnalysisResult(Verdict verdict, String reason) {
  public AnalysisResult {
    Objects.requireNonNull(verdict, "verdict");
    reason = reason == null ? "" : reason;
  }

  public static AnalysisResult of(Verdict verdict, String reason) {
    return new AnalysisResult(verdict, reason);
  }
}
