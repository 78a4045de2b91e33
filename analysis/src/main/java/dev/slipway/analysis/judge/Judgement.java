package dev.slipway.analysis.judge;

import dev.slipway.analysis.Verdict;

/** A verdict with its reason, plus the test statistics when a Mann-Whitney test ran. */
public record Judgement(Verdict verdict, String reason, Double mannWhitneyU, Double pValue) {
  static Judgement of(Verdict v, String reason) {
    return new Judgement(v, reason, null, null);
  }
}
