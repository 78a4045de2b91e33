package dev.slipway.analysis.spec;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What a metric measures: a built-in, resolved through the Rollout's query profile, custom PromQL,
 * a web check or a Job check.
 */
public sealed interface Query {

  /** The direction a built-in improves in; custom queries say it in their baseline. */
  Better naturalDirection();

  /** Share of responses that are not 5xx, from 0 to 1. */
  record SuccessRate() implements Query {
    @Override
    public Better naturalDirection() {
      return Better.HIGHER;
    }
  }

  /** 99th percentile latency in seconds. */
  record LatencyP99() implements Query {
    @Override
    public Better naturalDirection() {
      return Better.LOWER;
    }
  }

  /**
   * Error-budget burn against an SLO. The value is the worst condition's burn rate (error ratio
   * divided by the budget, 1 - target) over the lesser of its two windows, divided by its factor:
   * above 1, the canary burns budget faster than allowed.
   */
  record SloBurnRate(double target, List<BurnRule> rules) implements Query {
    public SloBurnRate {
      if (!(target > 0 && target < 1))
        throw new IllegalArgumentException(
            "SLO target must lie strictly between 0 and 1: " + target);
      if (rules.isEmpty())
        throw new IllegalArgumentException("an SLO needs at least one burn-rate condition");
      rules = List.copyOf(rules);
    }

    public double budget() {
      return 1 - target;
    }

    @Override
    public Better naturalDirection() {
      return Better.LOWER;
    }
  }

  /** Burning too fast: error ratio over budget above factor in both windows. */
  record BurnRule(double factor, Duration longWindow, Duration shortWindow) {
    public BurnRule {
      if (!(factor > 0))
        throw new IllegalArgumentException("burn-rate factor must be positive: " + factor);
      Objects.requireNonNull(longWindow, "longWindow");
      Objects.requireNonNull(shortWindow, "shortWindow");
    }
  }

  /**
   * The sequential judge: the canary's counts (errors, slow responses) against the baseline's at
   * every look, with an anytime-valid guarantee. Its counters come from the profile, like the other
   * built-ins.
   */
  record Sequential(SequentialSpec spec) implements Query {
    public Sequential {
      Objects.requireNonNull(spec, "spec");
    }

    @Override
    public Better naturalDirection() {
      return Better.LOWER;
    }
  }

  /**
   * A web check (issue 30): one HTTP request, its JSON answer read at a JSONPath; judged by a
   * threshold alone ({{args.NAME}} in its URL's query string is filled in, URL-encoded).
   */
  record Web(WebCheck check) implements Query {
    public Web {
      Objects.requireNonNull(check, "check");
    }

    @Override
    public Better naturalDirection() {
      return null;
    }
  }

  /**
   * A Job check (issue 30): a Job from a template runs to its end; its outcome is the verdict (no
   * threshold, no baseline).
   */
  record Job(JobCheck check) implements Query {
    public Job {
      Objects.requireNonNull(check, "check");
    }

    @Override
    public Better naturalDirection() {
      return null;
    }
  }

  /** A PromQL template; {{args.NAME}} placeholders may appear only inside double-quoted strings. */
  record Custom(String template) implements Query {
    public Custom {
      Objects.requireNonNull(template, "template");
    }

    @Override
    public Better naturalDirection() {
      return null;
    }
  }
}
