package dev.slipway.analysis.spec;

import java.util.Objects;

/** What a metric measures: a built-in, resolved through the Rollout's query profile, or custom PromQL. */
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
