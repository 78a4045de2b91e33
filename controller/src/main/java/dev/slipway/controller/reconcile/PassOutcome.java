package dev.slipway.controller.reconcile;

import dev.slipway.api.v1alpha1.RolloutStatus;
import dev.slipway.controller.core.Action;
import dev.slipway.controller.reconcile.RolloutProcessor.ProcessorResult;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What one pass did, for its caller (the result) and for the metrics (the status before, the
 * actions, the outcome's name and, for a promotion, the commit time of its revision).
 */
record PassOutcome(
    ProcessorResult result,
    RolloutStatus before,
    List<Action> actions,
    Instant now,
    String outcome,
    Instant commitTime) {

  /** A pass that took no action. */
  static PassOutcome idle(
      ProcessorResult result, RolloutStatus before, Instant now, String outcome) {
    return new PassOutcome(result, before, List.of(), now, outcome, null);
  }

  /** The Rollout is gone, or its deletion is finished with: nothing more to look at. */
  static PassOutcome gone(RolloutStatus before, Instant now, String outcome) {
    return idle(new ProcessorResult(null, null), before, now, outcome);
  }

  /** Looked at again after {@code after}, its status as it was. */
  static PassOutcome retry(RolloutStatus status, Duration after, Instant now, String outcome) {
    return idle(new ProcessorResult(status, after), status, now, outcome);
  }
}
