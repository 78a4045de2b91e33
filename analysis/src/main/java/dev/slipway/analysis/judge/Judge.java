package dev.slipway.analysis.judge;

import dev.slipway.analysis.Verdict;
import dev.slipway.analysis.provider.QueryOutcome;
import dev.slipway.analysis.spec.Baseline;
import dev.slipway.analysis.spec.Better;
import dev.slipway.analysis.spec.MetricSpec;
import dev.slipway.analysis.spec.Query;
import dev.slipway.analysis.spec.SequentialSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Turns what the provider returned into a verdict for one measurement. Pure. The order of the
 * checks is the policy: a provider failure is Error and missing data is Inconclusive before any
 * value is looked at, so neither can ever come out Successful.
 */
public final class Judge {
  /** Fewer samples than this per side cannot carry a rank test. */
  static final int MIN_SAMPLES = 3;

  private Judge() {}

  /**
   * Judges one metric: its canary value against the threshold and, when asked, against the stable.
   *
   * @param canary the canary's value (an instant query)
   * @param stable the stable's value, or null when the metric has no baseline
   * @param canarySamples the canary's samples over the window, or null when no rank test is asked
   *     for
   * @param stableSamples the stable's samples, likewise
   */
  public static Judgement judge(
      MetricSpec m,
      QueryOutcome canary,
      QueryOutcome stable,
      QueryOutcome canarySamples,
      QueryOutcome stableSamples) {
    Judgement gate = gate("canary", canary);
    if (gate != null) return gate;
    Baseline b = m.baseline();
    if (b != null) {
      gate = gate("stable baseline", stable);
      if (gate != null) return gate;
    }
    double value = ((QueryOutcome.Value) canary).value();
    List<String> failures = new ArrayList<>();
    if (m.threshold() != null && !m.threshold().admits(value)) {
      failures.add(fmt(value) + " is outside " + m.threshold().describe());
    }
    Double u = null;
    Double p = null;
    if (b != null) {
      double base = ((QueryOutcome.Value) stable).value();
      double worse = b.degradation(value, base);
      if (b.maxAbsoluteDegradation() != null && worse > b.maxAbsoluteDegradation()) {
        failures.add(
            "canary "
                + fmt(value)
                + " is worse than stable "
                + fmt(base)
                + " by "
                + fmt(worse)
                + " (allowed "
                + fmt(b.maxAbsoluteDegradation())
                + ")");
      }
      if (b.maxRelativeDegradation() != null
          && worse > b.maxRelativeDegradation() * Math.abs(base)) {
        failures.add(
            "canary "
                + fmt(value)
                + " is worse than stable "
                + fmt(base)
                + " by "
                + pct(base == 0 ? Double.POSITIVE_INFINITY : worse / Math.abs(base))
                + " (allowed "
                + pct(b.maxRelativeDegradation())
                + ")");
      }
      if (b.mannWhitney() != null) {
        gate = gate("canary samples", canarySamples);
        if (gate == null) gate = gate("stable samples", stableSamples);
        if (gate != null) return gate;
        double[] cs = toArray(canarySamples);
        double[] ss = toArray(stableSamples);
        if (cs.length < MIN_SAMPLES || ss.length < MIN_SAMPLES) {
          return Judgement.of(
              Verdict.Inconclusive,
              "too few samples for a Mann-Whitney test (canary "
                  + cs.length
                  + ", stable "
                  + ss.length
                  + "; need "
                  + MIN_SAMPLES
                  + " each)");
        }
        MannWhitneyU.Result r = MannWhitneyU.test(cs, ss);
        u = r.u();
        p = r.pValue();
        boolean canaryWorse = b.degradation(r.medianA(), r.medianB()) > 0;
        if (canaryWorse && r.pValue() < b.mannWhitney().alpha()) {
          failures.add(
              "Mann-Whitney U="
                  + fmt(r.u())
                  + " p="
                  + fmt(r.pValue())
                  + " < alpha "
                  + fmt(b.mannWhitney().alpha())
                  + ": canary median "
                  + fmt(r.medianA())
                  + " is significantly worse than stable "
                  + fmt(r.medianB()));
        }
      }
    }
    if (!failures.isEmpty()) {
      return new Judgement(Verdict.Failed, String.join("; ", failures), u, p);
    }
    return new Judgement(
        Verdict.Successful, "value " + fmt(value) + " meets " + condition(m), u, p);
  }

  /** The condition in words, recorded with every measurement. */
  public static String condition(MetricSpec m) {
    if (m.query() instanceof Query.Sequential s) {
      return sequentialCondition(s.spec());
    }
    if (m.query() instanceof Query.Job j) {
      return "the Job succeeds within its deadline of " + j.check().deadline().toSeconds() + "s";
    }
    List<String> parts = new ArrayList<>();
    if (m.threshold() != null) parts.add(m.threshold().describe());
    Baseline b = m.baseline();
    if (b != null) {
      String dir = b.better() == Better.HIGHER ? "below" : "above";
      if (b.maxAbsoluteDegradation() != null)
        parts.add("at most " + fmt(b.maxAbsoluteDegradation()) + " " + dir + " stable");
      if (b.maxRelativeDegradation() != null)
        parts.add("at most " + pct(b.maxRelativeDegradation()) + " " + dir + " stable");
      if (b.mannWhitney() != null)
        parts.add(
            "not significantly worse than stable (Mann-Whitney, alpha "
                + fmt(b.mannWhitney().alpha())
                + ")");
    }
    return String.join(" and ", parts);
  }

  /** A sequential metric's promise, in words. */
  static String sequentialCondition(SequentialSpec s) {
    List<String> tests = new ArrayList<>();
    if (s.errors() != null)
      tests.add(
          "5xx share not above the baseline's (able to see +"
              + fmt(s.errors().minDetectableEffect() * 100)
              + " pp)");
    if (s.latency() != null) {
      tests.add(
          "share slower than the baseline's P"
              + fmt(s.latency().quantile() * 100)
              + " not above the baseline's (able to see "
              + fmt(s.latency().minDetectableEffect() * 100)
              + "% slower)");
    }
    return String.join(" and ", tests)
        + "; sequential test, alpha "
        + fmt(s.alpha())
        + ", power "
        + fmt(s.power())
        + ", over "
        + s.exposure().toSeconds()
        + " s";
  }

  private static Judgement gate(String what, QueryOutcome o) {
    if (o instanceof QueryOutcome.Failure f) {
      return Judgement.of(Verdict.Error, what + ": " + f.why());
    }
    if (o instanceof QueryOutcome.NoData n) {
      return Judgement.of(Verdict.Inconclusive, what + ": no data (" + n.why() + ")");
    }
    if (o == null) {
      return Judgement.of(Verdict.Error, what + ": not measured");
    }
    return null;
  }

  private static double[] toArray(QueryOutcome o) {
    if (o instanceof QueryOutcome.Samples s) {
      return s.values().stream().mapToDouble(Double::doubleValue).toArray();
    }
    if (o instanceof QueryOutcome.Value v) {
      return new double[] {v.value()};
    }
    return new double[0];
  }

  static String fmt(double v) {
    if (Double.isInfinite(v)) return v > 0 ? "+Inf" : "-Inf";
    return String.format(Locale.ROOT, "%.6g", v).replaceAll("\\.?0+(e|$)", "$1");
  }

  private static String pct(double fraction) {
    return Double.isInfinite(fraction) ? "an unbounded share" : fmt(fraction * 100) + "%";
  }
}
