package dev.slipway.controller.core;

import dev.slipway.api.v1alpha1.Condition;
import dev.slipway.api.v1alpha1.PauseCondition;
import dev.slipway.api.v1alpha1.PauseReason;
import dev.slipway.api.v1alpha1.RevisionState;
import dev.slipway.api.v1alpha1.RolloutStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The working copy of one decision. Local mutation only: it never escapes {@link RolloutDecider}.
 */
final class Draft {
  final RolloutStatus.Builder s;
  final Instant now;
  final long generation;
  final List<Action> actions = new ArrayList<>();
  private Duration requeue;

  /** Set while waiting on something that bounds its own time, such as a running analysis. */
  boolean deadlineExempt;

  /**
   * The revision entering Pending was in flight before: it gets the next attempt, and a record of
   * its own.
   */
  boolean reattempt;

  Draft(RolloutStatus status, Instant now, long generation) {
    this.s = status.toBuilder();
    this.now = now;
    this.generation = generation;
    if (s.state != null && s.stateRevision == null) {
      // Written before stateRevision existed: Stable describes the stable revision (also while
      // an abandoned canary drains), any other state the canary in flight.
      s.stateRevision =
          s.state == RevisionState.Stable || s.canaryRevision == null
              ? s.stableRevision
              : s.canaryRevision;
    }
  }

  void act(Action a) {
    actions.add(a);
  }

  /**
   * Moves the tracked revision to {@code to}, refusing edges the table does not have, and any
   * transition of a revision that state does not describe.
   */
  void transition(String revision, RevisionState to, String reason, String message) {
    if (s.stateRevision != null && !s.stateRevision.equals(revision)) {
      throw new IllegalStateException(
          "state describes revision " + s.stateRevision + ", not " + revision + " (" + to + ")");
    }
    RevisionState from = s.state;
    Transitions.check(from, to);
    s.state = to;
    s.stateRevision = revision;
    s.lastProgressTime = now.toString();
    if (to == RevisionState.Pending) {
      // A new revision is attempt 1; each retry of a rolled-back one is the next attempt.
      s.attempt = (from == null && !reattempt) || s.attempt == null ? 1 : s.attempt + 1;
    }
    act(
        new Action.RecordTransition(
            revision, attempt(), s.currentStepIndex, from, to, reason, message));
    if (to == RevisionState.Pending) {
      act(new Action.ResetAnalysis(revision));
    }
    if (to == RevisionState.RolledBack || to == RevisionState.Superseded) {
      act(new Action.StopAnalysis(revision));
    }
  }

  /**
   * From now on, state describes {@code revision}: a new revision (or a new attempt of one), born
   * before Pending ({@code state} null), or the stable revision again, already in {@code state},
   * when the canary it was tracking has been retired. No revision changes state here: the retired
   * canary's end is its own transition ({@link #retire}).
   */
  void track(String revision, RevisionState state) {
    if (state != null && state != RevisionState.Stable) {
      throw new IllegalStateException("only a new revision or the stable one is tracked afresh");
    }
    s.stateRevision = revision;
    s.state = state;
  }

  /** Records the end of a revision we no longer track (superseded or reverted). */
  void retire(String revision, RevisionState from, String reason, String message) {
    Transitions.check(from, RevisionState.Superseded);
    act(
        new Action.RecordTransition(
            revision,
            attempt(),
            s.currentStepIndex,
            from,
            RevisionState.Superseded,
            reason,
            message));
  }

  /**
   * The attempt of the revision in flight (statuses written before attempts existed count as 1).
   */
  int attempt() {
    return s.attempt == null ? 1 : s.attempt;
  }

  void progressed() {
    s.lastProgressTime = now.toString();
  }

  void requeueIn(Duration d) {
    if (d.isNegative()) {
      d = Duration.ZERO;
    }
    if (requeue == null || d.compareTo(requeue) < 0) {
      requeue = d;
    }
  }

  Duration requeue() {
    return requeue;
  }

  boolean hasPause(PauseReason reason) {
    return pauses().stream().anyMatch(p -> p.reason() == reason);
  }

  PauseCondition pause(PauseReason reason) {
    return pauses().stream().filter(p -> p.reason() == reason).findFirst().orElse(null);
  }

  void addPause(PauseReason reason, Instant until, String message) {
    if (hasPause(reason)) {
      return;
    }
    List<PauseCondition> next = new ArrayList<>(pauses());
    next.add(
        new PauseCondition(
            reason, now.toString(), until == null ? null : until.toString(), message));
    s.pauseConditions = next;
  }

  void removePause(PauseReason reason) {
    List<PauseCondition> next = pauses().stream().filter(p -> p.reason() != reason).toList();
    s.pauseConditions = next.isEmpty() ? null : next;
  }

  void clearPauses() {
    s.pauseConditions = null;
  }

  List<PauseCondition> pauses() {
    return s.pauseConditions == null ? List.of() : s.pauseConditions;
  }

  /** Sets a condition, keeping lastTransitionTime when its status did not change. */
  void condition(String type, boolean status, String reason, String message) {
    s.conditions = Conditions.with(s.conditions, type, status, reason, message, now, generation);
  }

  Optional<String> conditionMessage(String type) {
    return (s.conditions == null ? List.<Condition>of() : s.conditions)
        .stream().filter(c -> c.type().equals(type)).map(Condition::message).findFirst();
  }

  Optional<String> conditionReason(String type) {
    return (s.conditions == null ? List.<Condition>of() : s.conditions)
        .stream().filter(c -> c.type().equals(type)).map(Condition::reason).findFirst();
  }

  void dropCondition(String type) {
    s.conditions = Conditions.without(s.conditions, type);
  }
}
