package dev.slipway.analysis.sequential;

import dev.slipway.analysis.spec.SequentialSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Before a step runs: what its sequential metric will be able to see, from the stable's traffic
 * now. The canary at the step's weight gets that share of the requests, the stable the rest, for
 * the metric's exposure; the smallest detectable effects follow ({@link Effects}), and a step that
 * cannot reach a declared effect is said so in words, before anyone waits for it. Pure.
 */
public record PowerPlan(
    int step,
    String metric,
    int weight,
    double canaryRps,
    Double errorsMde,
    Double slowdownMde,
    boolean meets,
    String message) {

  /**
   * Plans one step's metric.
   *
   * @param stableRps the stable's request rate over the planning window (all of the traffic, before
   *     the canary)
   * @param stableErrorShare the stable's 5xx share over the window (NaN when it served nothing)
   * @param histogram the stable's latency histogram over the window (null when none)
   */
  public static PowerPlan of(
      int step,
      String metric,
      int weight,
      SequentialSpec spec,
      double stableRps,
      double stableErrorShare,
      Histogram histogram) {
    return of(
        step, metric, weight, spec, stableRps, stableErrorShare, histogram, MixturePrior.DEFAULT);
  }

  static PowerPlan of(
      int step,
      String metric,
      int weight,
      SequentialSpec spec,
      double stableRps,
      double stableErrorShare,
      Histogram histogram,
      MixturePrior prior) {
    double share = Math.max(0, Math.min(100, weight)) / 100.0;
    double seconds = spec.exposure().toMillis() / 1000.0;
    double canaryRps = stableRps * share;
    double canaryN = canaryRps * seconds;
    double baselineN = stableRps * (1 - share) * seconds;
    List<String> words = new ArrayList<>();
    boolean meets = true;
    Double errorsMde = null;
    Double slowdownMde = null;
    String where =
        String.format(
            Locale.ROOT,
            "step %d at weight %d%%: %s req/s to the canary for %s",
            step + 1,
            weight,
            SequentialJudge.rough(canaryRps),
            SequentialJudge.seconds(spec.exposure()));
    if (!(stableRps > 0)) {
      return new PowerPlan(
          step,
          metric,
          weight,
          0,
          null,
          null,
          false,
          where
              + ": the stable served no requests in the planning window, "
              + "so nothing can be planned; a step without traffic ends Inconclusive");
    }
    if (spec.errors() != null) {
      double base = Double.isNaN(stableErrorShare) ? 0 : stableErrorShare;
      double mde = Effects.errors(canaryN, baselineN, base, spec.alpha(), spec.power(), prior);
      errorsMde = Double.isInfinite(mde) ? null : mde;
      boolean ok = mde <= spec.errors().minDetectableEffect();
      meets &= ok;
      words.add(
          String.format(
              Locale.ROOT,
              "errors: %s (asked +%s pp%s)",
              Double.isInfinite(mde)
                  ? "cannot detect any rise"
                  : "detects +" + SequentialJudge.rough(mde * 100) + " pp",
              SequentialJudge.pp(spec.errors().minDetectableEffect()),
              ok ? "" : "; extend the step or raise the weight"));
    }
    if (spec.latency() != null) {
      Histogram.LatencyPlan lp =
          histogram == null
              ? null
              : histogram.plan(spec.latency().quantile(), spec.latency().minDetectableEffect());
      if (lp == null || !(lp.baselineShare() > 0)) {
        meets = false;
        words.add(
            "latency: no stable histogram with responses above its P"
                + SequentialJudge.fmt(spec.latency().quantile() * 100)
                + " in the planning window to plan from");
      } else {
        double ratio =
            Effects.slowShareRatio(
                canaryN, baselineN, lp.baselineShare(), spec.alpha(), spec.power(), prior);
        double slowdown =
            Double.isInfinite(ratio) ? Double.POSITIVE_INFINITY : slowdownFor(histogram, lp, ratio);
        slowdownMde = Double.isInfinite(slowdown) ? null : slowdown;
        boolean ok = slowdown <= spec.latency().minDetectableEffect();
        meets &= ok;
        words.add(
            String.format(
                Locale.ROOT,
                "latency: %s (asked %s%%%s)",
                Double.isInfinite(slowdown)
                    ? "cannot detect any slow-down"
                    : "detects a "
                        + SequentialJudge.rough(slowdown * 100)
                        + "% slower P"
                        + SequentialJudge.fmt(spec.latency().quantile() * 100),
                SequentialJudge.fmt(spec.latency().minDetectableEffect() * 100),
                ok ? "" : "; extend the step or raise the weight"));
      }
    }
    return new PowerPlan(
        step,
        metric,
        weight,
        canaryRps,
        errorsMde,
        slowdownMde,
        meets,
        where + ": " + String.join("; ", words));
  }

  /**
   * The relative slow-down that multiplies the share above the threshold by {@code ratio}, read off
   * the histogram; +Inf past 10x slower.
   */
  static double slowdownFor(Histogram h, Histogram.LatencyPlan lp, double ratio) {
    double target = lp.baselineShare() * ratio;
    if (target >= 1) return Double.POSITIVE_INFINITY;
    double lo = 0;
    double hi = 10;
    if (1 - h.cdf(lp.threshold() / (1 + hi)) < target) return Double.POSITIVE_INFINITY;
    for (int i = 0; i < 60; i++) {
      double mid = (lo + hi) / 2;
      if (1 - h.cdf(lp.threshold() / (1 + mid)) >= target) hi = mid;
      else lo = mid;
    }
    return hi;
  }
}
