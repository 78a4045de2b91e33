package dev.slipway.analysis.judge;

import dev.slipway.analysis.AnalysisResult;
import dev.slipway.analysis.Verdict;
import dev.slipway.analysis.spec.Schedule;
import java.util.List;

/**
 * A metric's verdict from its measurements so far. Pure. A limit of N tolerates N measurements of
 * that kind; one more ends the metric at once. Limits forgive blips, never the end: a metric whose
 * last measurement is an Error or Inconclusive ends that way, so losing the provider (or the
 * traffic) late in a run cannot promote on an earlier measurement. All-errors is Error and
 * all-inconclusive is Inconclusive, whatever the limits.
 */
public final class MetricVerdicts {
  private MetricVerdicts() {}

  public static AnalysisResult evaluate(Schedule s, List<Measurement> ms) {
    int failed = 0;
    int inconclusive = 0;
    int errors = 0;
    int consecutiveErrors = 0;
    int successful = 0;
    Measurement lastBad = null;
    for (Measurement m : ms) {
      switch (m.verdict()) {
        case Successful -> {
          successful++;
          consecutiveErrors = 0;
        }
        case Failed -> {
          failed++;
          consecutiveErrors = 0;
          lastBad = m;
        }
        case Inconclusive -> {
          inconclusive++;
          consecutiveErrors = 0;
          lastBad = m;
        }
        case Error -> {
          errors++;
          consecutiveErrors++;
          lastBad = m;
        }
        case Running -> throw new IllegalStateException("a measurement has a final verdict");
      }
      if (failed > s.failureLimit()) {
        return AnalysisResult.of(
            Verdict.Failed, counts(failed, "failed", s.failureLimit()) + ": " + m.reason());
      }
      if (consecutiveErrors > s.consecutiveErrorLimit()) {
        return AnalysisResult.of(
            Verdict.Error,
            consecutiveErrors
                + " consecutive errors (limit "
                + s.consecutiveErrorLimit()
                + "): "
                + m.reason());
      }
      if (inconclusive > s.inconclusiveLimit()) {
        return AnalysisResult.of(
            Verdict.Inconclusive,
            counts(inconclusive, "inconclusive", s.inconclusiveLimit()) + ": " + m.reason());
      }
    }
    if (ms.size() < s.count()) {
      return AnalysisResult.of(
          Verdict.Running, ms.size() + " of " + s.count() + " measurements taken");
    }
    Measurement last = ms.get(ms.size() - 1);
    if (last.verdict() == Verdict.Error || last.verdict() == Verdict.Inconclusive) {
      return AnalysisResult.of(
          last.verdict(), "the last measurement was " + last.verdict() + ": " + last.reason());
    }
    if (successful == 0) {
      Verdict v = errors > 0 ? Verdict.Error : Verdict.Inconclusive;
      return AnalysisResult.of(
          v,
          "no successful measurement in "
              + ms.size()
              + (lastBad == null ? "" : ": " + lastBad.reason()));
    }
    return AnalysisResult.of(
        Verdict.Successful, successful + " of " + ms.size() + " measurements successful");
  }

  private static String counts(int n, String kind, int limit) {
    return n + " " + kind + " measurement" + (n == 1 ? "" : "s") + " (limit " + limit + ")";
  }
}
