package dev.slipway.analysis.sequential;

import dev.slipway.analysis.AnalysisResult;
import dev.slipway.analysis.Verdict;
import dev.slipway.analysis.judge.Measurement;
import dev.slipway.analysis.spec.Schedule;
import dev.slipway.analysis.spec.SequentialSpec;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A sequential metric's verdict from its looks so far. Pure: the same looks give the same verdict,
 * here, in `kubectl slipway evidence verify --decisions`, or in an auditor's hands.
 *
 * <ol>
 *   <li>Provider errors past the consecutive-error limit: Error (as for every metric).
 *   <li>Either test's e-value reaching {@code 1/alpha} at any look: Failed, at that look.
 *   <li>Before the exposure has passed: Running.
 *   <li>After it, without a crossing: Successful only if the test had the power to see the declared
 *       smallest regression, judged on the requests actually seen; otherwise Inconclusive, saying
 *       what it could have detected. Missing traffic is never a pass.
 * </ol>
 */
public final class SequentialJudge {
  private SequentialJudge() {}

  /** The two tests' processes after a metric's looks, and the look where one crossed (or null). */
  public record State(
      RatioEProcess errors,
      RatioEProcess latency,
      Histogram.LatencyPlan plan,
      String crossing,
      Instant lastLook) {}

  /** Folds every look with counts into the two e-processes, stopping at the first crossing. */
  public static State fold(SequentialSpec spec, MixturePrior prior, List<Measurement> ms) {
    RatioEProcess errors = spec.errors() == null ? null : RatioEProcess.start(prior);
    RatioEProcess latency = spec.latency() == null ? null : RatioEProcess.start(prior);
    Histogram.LatencyPlan plan = null;
    Instant last = null;
    int n = 0;
    for (Measurement m : ms) {
      SequentialLook l = m.look();
      if (l == null) continue;
      n++;
      last = l.to();
      if (l.latency() != null) plan = l.latency();
      if (errors != null && l.errors() != null) {
        errors = errors.after(l.errors());
        if (errors.crossed(spec.alpha())) {
          return new State(
              errors, latency, plan, crossing("errors", "5xx", errors, spec.alpha(), n, l), last);
        }
      }
      if (latency != null && l.slow() != null) {
        latency = latency.after(l.slow());
        if (latency.crossed(spec.alpha())) {
          String what =
              "responses slower than "
                  + fmt(l.latency() == null ? Double.NaN : l.latency().threshold())
                  + " s";
          return new State(
              errors, latency, plan, crossing("latency", what, latency, spec.alpha(), n, l), last);
        }
      }
    }
    return new State(errors, latency, plan, null, last);
  }

  public static AnalysisResult evaluate(
      SequentialSpec spec, Schedule schedule, Instant startedAt, List<Measurement> ms) {
    return evaluate(spec, MixturePrior.DEFAULT, schedule, startedAt, ms);
  }

  public static AnalysisResult evaluate(
      SequentialSpec spec,
      MixturePrior prior,
      Schedule schedule,
      Instant startedAt,
      List<Measurement> ms) {
    int consecutiveErrors = 0;
    for (Measurement m : ms) {
      consecutiveErrors = m.verdict() == Verdict.Error ? consecutiveErrors + 1 : 0;
      if (consecutiveErrors > schedule.consecutiveErrorLimit()) {
        return AnalysisResult.of(
            Verdict.Error,
            consecutiveErrors
                + " consecutive errors (limit "
                + schedule.consecutiveErrorLimit()
                + "): "
                + m.reason());
      }
    }
    State s = fold(spec, prior, ms);
    if (s.crossing() != null) {
      return AnalysisResult.of(Verdict.Failed, s.crossing());
    }
    Instant end = startedAt.plus(spec.exposure());
    if (s.lastLook() == null || s.lastLook().isBefore(end)) {
      return AnalysisResult.of(
          Verdict.Running,
          (s.lastLook() == null ? 0 : Duration.between(startedAt, s.lastLook()).toSeconds())
              + " of "
              + spec.exposure().toSeconds()
              + " s observed");
    }
    Measurement last = ms.get(ms.size() - 1);
    if (last.verdict() == Verdict.Error) {
      return AnalysisResult.of(Verdict.Error, "the last look was an error: " + last.reason());
    }
    Duration observed = Duration.between(startedAt, s.lastLook());
    List<String> passed = new ArrayList<>();
    List<String> underpowered = new ArrayList<>();
    if (s.errors() != null) {
      judgePower("errors", errorsPower(spec, prior, s.errors(), observed), passed, underpowered);
    }
    if (s.latency() != null) {
      judgePower(
          "latency",
          latencyPower(spec, prior, s.latency(), s.plan(), observed),
          passed,
          underpowered);
    }
    if (!underpowered.isEmpty()) {
      return AnalysisResult.of(Verdict.Inconclusive, String.join("; ", underpowered));
    }
    return AnalysisResult.of(Verdict.Successful, String.join("; ", passed));
  }

  /**
   * A test's power at the end: whether it could see the declared effect, and the words either way.
   */
  record Powered(boolean enough, String words) {}

  private static void judgePower(
      String test, Powered p, List<String> passed, List<String> underpowered) {
    (p.enough() ? passed : underpowered).add(test + ": " + p.words());
  }

  /**
   * The baseline's error share is taken as (errors + 1) / (requests + 1), one more error than seen:
   * a higher baseline makes the same absolute increase harder to see, so this never overstates the
   * power of a quiet baseline.
   */
  static Powered errorsPower(
      SequentialSpec spec, MixturePrior prior, RatioEProcess p, Duration observed) {
    Counts c = p.canary();
    Counts b = p.baseline();
    if (c.trials() == 0 || b.trials() == 0) {
      return new Powered(
          false,
          "no "
              + (c.trials() == 0 ? "canary" : "baseline")
              + " requests in "
              + seconds(observed)
              + ": nothing to compare; raise the weight or send traffic");
    }
    double base = (b.events() + 1.0) / (b.trials() + 1.0);
    double mde = spec.errors().minDetectableEffect();
    double power =
        Power.of(
            (double) c.trials(),
            (double) b.trials(),
            base,
            Math.min(1, base + mde),
            spec.alpha(),
            prior);
    String seen =
        String.format(
            Locale.ROOT,
            "canary %d requests, %d 5xx (%s); baseline %d, %d (%s); e-value %s",
            c.trials(),
            c.events(),
            pct(c.rate()),
            b.trials(),
            b.events(),
            pct(b.rate()),
            fmt(p.e()));
    if (power >= spec.power()) {
      return new Powered(
          true,
          String.format(
              Locale.ROOT,
              "no regression in %s (%s): %.0f%% power to see +%s pp",
              seconds(observed),
              seen,
              power * 100,
              pp(mde)));
    }
    double can =
        Effects.errors(
            (double) c.trials(), (double) b.trials(), base, spec.alpha(), spec.power(), prior);
    return new Powered(
        false,
        String.format(
            Locale.ROOT,
            "at %s req/s to the canary, %s can only detect %s (%.0f%% power; asked +%s pp, "
                + "which it had %.0f%% power to see); extend the step or raise the weight (%s)",
            rate(c.trials(), observed),
            seconds(observed),
            Double.isInfinite(can) ? "no regression at all" : "+" + rough(can * 100) + " pp errors",
            spec.power() * 100,
            pp(mde),
            power * 100,
            seen));
  }

  static Powered latencyPower(
      SequentialSpec spec,
      MixturePrior prior,
      RatioEProcess p,
      Histogram.LatencyPlan plan,
      Duration observed) {
    if (plan == null) {
      return new Powered(
          false,
          "no baseline latency histogram before the run to set the threshold (the stable served no requests in the "
              + "planning window)");
    }
    Counts c = p.canary();
    Counts b = p.baseline();
    if (c.trials() == 0 || b.trials() == 0) {
      return new Powered(
          false,
          "no "
              + (c.trials() == 0 ? "canary" : "baseline")
              + " responses in "
              + seconds(observed)
              + ": nothing to compare; raise the weight or send traffic");
    }
    double base = (b.events() + 1.0) / (b.trials() + 1.0);
    double ratio = plan.effectRatio();
    double target =
        Double.isInfinite(ratio)
            ? Math.max(plan.shareUnderEffect(), base)
            : Math.min(1, base * ratio);
    double power =
        Power.of((double) c.trials(), (double) b.trials(), base, target, spec.alpha(), prior);
    String asked =
        String.format(
            Locale.ROOT,
            "%s%% slower P%s (%s the share above %s s)",
            fmt(spec.latency().minDetectableEffect() * 100),
            fmt(spec.latency().quantile() * 100),
            Double.isInfinite(ratio) ? "raising" : fmt(ratio) + "x",
            fmt(plan.threshold()));
    String seen =
        String.format(
            Locale.ROOT,
            "above %s s: canary %d of %d (%s), baseline %d of %d (%s); e-value %s",
            fmt(plan.threshold()),
            c.events(),
            c.trials(),
            pct(c.rate()),
            b.events(),
            b.trials(),
            pct(b.rate()),
            fmt(p.e()));
    if (power >= spec.power()) {
      return new Powered(
          true,
          String.format(
              Locale.ROOT,
              "no regression in %s (%s): %.0f%% power to see %s",
              seconds(observed),
              seen,
              power * 100,
              asked));
    }
    double can =
        Effects.slowShareRatio(
            (double) c.trials(), (double) b.trials(), base, spec.alpha(), spec.power(), prior);
    return new Powered(
        false,
        String.format(
            Locale.ROOT,
            "at %s responses/s from the canary, %s can only detect %s (%.0f%% power; asked %s); "
                + "extend the step or raise the weight (%s)",
            rate(c.trials(), observed),
            seconds(observed),
            Double.isInfinite(can)
                ? "no regression at all"
                : rough(can) + "x the baseline's share above " + fmt(plan.threshold()) + " s",
            spec.power() * 100,
            asked,
            seen));
  }

  private static String crossing(
      String test, String events, RatioEProcess p, double alpha, int look, SequentialLook l) {
    Counts c = p.canary();
    Counts b = p.baseline();
    return String.format(
        Locale.ROOT,
        "%s: the canary is worse (sequential test, alpha %s): e-value %s reached 1/alpha = %s at look %d (%s); "
            + "%s: canary %d of %d (%s), baseline %d of %d (%s); likeliest rate ratio %sx",
        test,
        fmt(alpha),
        fmt(p.e()),
        fmt(1 / alpha),
        look,
        l.to(),
        events,
        c.events(),
        c.trials(),
        pct(c.rate()),
        b.events(),
        b.trials(),
        pct(b.rate()),
        fmt(p.likeliestRatio()));
  }

  /**
   * Four significant digits, no trailing zeros; exponent form only for the very large or small (an
   * e-value can be 1e40).
   */
  public static String fmt(double v) {
    if (Double.isInfinite(v)) return v > 0 ? "+Inf" : "-Inf";
    if (Double.isNaN(v)) return "NaN";
    double a = Math.abs(v);
    if (a != 0 && (a >= 1e7 || a < 1e-4)) return String.format(Locale.ROOT, "%.3e", v);
    return new BigDecimal(v).round(new MathContext(4)).stripTrailingZeros().toPlainString();
  }

  /** Two significant digits, for effects planned rather than measured. */
  static String rough(double v) {
    if (!Double.isFinite(v) || v == 0) return fmt(v);
    return new BigDecimal(v).round(new MathContext(2)).stripTrailingZeros().toPlainString();
  }

  static String pct(double share) {
    return Double.isNaN(share) ? "no requests" : fmt(share * 100) + "%";
  }

  static String pp(double share) {
    return fmt(share * 100);
  }

  static String rate(long n, Duration d) {
    return fmt(d.toMillis() <= 0 ? 0 : n * 1000.0 / d.toMillis());
  }

  static String seconds(Duration d) {
    long s = d.toSeconds();
    return s >= 120 && s % 60 == 0 ? s / 60 + " min" : s + " s";
  }
}
