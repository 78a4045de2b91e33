package dev.slipway.controller.core;

import static dev.slipway.api.v1alpha1.RevisionState.Canary;
import static dev.slipway.api.v1alpha1.RevisionState.Paused;
import static dev.slipway.api.v1alpha1.RevisionState.Pending;
import static dev.slipway.api.v1alpha1.RevisionState.Promoted;
import static dev.slipway.api.v1alpha1.RevisionState.Ready;
import static dev.slipway.api.v1alpha1.RevisionState.RolledBack;

import dev.slipway.api.v1alpha1.ActionRecord;
import dev.slipway.api.v1alpha1.PauseReason;
import dev.slipway.api.v1alpha1.RevisionState;
import java.util.EnumSet;
import java.util.Set;

/**
 * Manual requests (pause, resume, promote, promote-full, abort, retry, restart). Each is consumed
 * in the same status write that applies it, so a crash can neither lose nor repeat one.
 */
final class Requests {
  private static final Set<RevisionState> IN_FLIGHT = EnumSet.of(Pending, Ready, Canary, Paused);

  private Requests() {}

  static void apply(RolloutDecider.Ctx c) {
    ManualAction req = c.obs().request();
    if (req == null) {
      return;
    }
    Draft d = c.d();
    String refused = refusal(c, req);
    String result = refused != null ? "refused: " + refused : carryOut(c, req);
    d.s.request = null;
    d.s.lastAction =
        new ActionRecord(
            req.action(),
            req.requestedBy(),
            req.fieldManager(),
            req.requestedAt(),
            d.now.toString(),
            result);
    d.act(
        new Action.Emit(
            refused != null,
            "Manual" + req.action(),
            req.action() + " by " + who(req) + ": " + result));
  }

  private static String refusal(RolloutDecider.Ctx c, ManualAction req) {
    Draft d = c.d();
    RevisionState st = d.s.state;
    // A first deploy has no stable revision: nothing to canary against, nothing to roll back to.
    boolean canary =
        d.s.stableRevision != null
            && d.s.canaryRevision != null
            && !d.s.canaryRevision.equals(d.s.stableRevision);
    String missing =
        c.missingServices().isEmpty()
            ? null
            : "Service "
                + String.join(", ", c.missingServices())
                + " not found; the canary holds until it exists";
    String approval = approvalRefusal(c, req);
    if (approval != null) {
      return approval;
    }
    return switch (req.action()) {
      case Pause ->
          canary && IN_FLIGHT.contains(st) ? null : "no canary in progress (state " + st + ")";
      case Promote, PromoteFull ->
          !canary || !IN_FLIGHT.contains(st) ? "no canary in progress (state " + st + ")" : missing;
      case Resume ->
          d.pauses().isEmpty()
              ? "not paused"
              : d.pauses().size() == 1 && d.hasPause(PauseReason.SpecPaused)
                  ? "spec.paused is true; set it false in Git"
                  : missing;
      case Abort ->
          canary && st == Promoted && Partitions.inPlace(c.spec())
              ? "a StatefulSet's promotion cannot be aborted: its partition is at 0, and once every"
                  + " ordinal runs the new revision its controller makes it current, leaving no"
                  + " other to return to; revert the template in Git to go back"
              : canary && (IN_FLIGHT.contains(st) || st == Promoted)
                  ? null
                  : "no canary to abort (state " + st + ")";
      case Retry ->
          st == RolledBack && canary
              ? NodeWalk.retryRefusal(c)
              : "only a rolled-back canary can be retried (state " + st + ")";
      case Restart -> Restarts.refusal(d);
    };
  }

  /**
   * With requireDistinctApprover, a request that would approve a step (Promote, PromoteFull, or a
   * Resume of a step pause or inconclusive analysis) needs an approver who is known and is not the
   * change's author.
   */
  private static String approvalRefusal(RolloutDecider.Ctx c, ManualAction req) {
    if (!Boolean.TRUE.equals(c.spec().strategy().plan().requireDistinctApprover())) {
      return null;
    }
    Draft d = c.d();
    boolean approves =
        switch (req.action()) {
          case Promote, PromoteFull -> true;
          case Resume ->
              d.hasPause(PauseReason.PauseStep) || d.hasPause(PauseReason.AnalysisInconclusive);
          case Pause, Abort, Retry, Restart -> false;
        };
    if (!approves) {
      return null;
    }
    if (req.author() == null || req.author().isBlank()) {
      return "requireDistinctApprover: the change names no author (annotation slipway.dev/author when its attempt opened)";
    }
    if (req.requestedBy() == null || req.requestedBy().isBlank()) {
      return "requireDistinctApprover: the request names no approver (status.request.requestedBy)";
    }
    if (!req.requestedByBound()) {
      return "requireDistinctApprover: status.request.requestedBy is not bound to the caller (install the ValidatingAdmissionPolicy"
          + " slipway-requested-by and its binding, Kubernetes 1.30 or later)";
    }
    if (req.requestedBy().strip().equalsIgnoreCase(req.author().strip())) {
      return "requireDistinctApprover: "
          + req.requestedBy()
          + " authored this change and cannot approve it";
    }
    return null;
  }

  private static String carryOut(RolloutDecider.Ctx c, ManualAction req) {
    Draft d = c.d();
    String canary = d.s.canaryRevision;
    switch (req.action()) {
      case Pause -> {
        d.addPause(PauseReason.Manual, null, "paused by " + who(req));
        return "paused";
      }
      case Resume -> {
        d.removePause(PauseReason.Manual);
        // A person resuming a step pause or an inconclusive analysis has judged that step done.
        if (d.hasPause(PauseReason.PauseStep) || d.hasPause(PauseReason.AnalysisInconclusive)) {
          completeStep(d);
        }
        d.progressed();
        return "resumed";
      }
      case Promote -> {
        completeStep(d);
        d.removePause(PauseReason.Manual);
        d.progressed();
        // People count steps from 1, as the messages and the plugin do.
        int next = d.s.currentStepIndex == null ? 0 : d.s.currentStepIndex;
        return next >= c.steps().size()
            ? "promoted one step; all " + c.steps().size() + " steps done"
            : "promoted one step; now at step " + (next + 1) + "/" + c.steps().size();
      }
      case PromoteFull -> {
        d.s.currentStepIndex = c.steps().size();
        d.removePause(PauseReason.Manual);
        d.removePause(PauseReason.PauseStep);
        d.removePause(PauseReason.AnalysisInconclusive);
        d.progressed();
        return "skipping remaining steps";
      }
      case Abort -> {
        d.s.abort = true;
        d.clearPauses();
        String msg = "aborted by " + who(req);
        d.condition("Aborted", true, "ManualAbort", msg);
        d.transition(canary, RolledBack, "ManualAbort", msg);
        return "aborted; traffic returns to stable before the canary scales down";
      }
      case Retry -> {
        d.s.abort = null;
        d.dropCondition("Aborted");
        d.s.currentStepIndex = 0;
        d.s.canaryScale = null;
        d.s.analysisVerdicts = null;
        d.transition(canary, Pending, "Retry", "retried by " + who(req));
        return "retrying from step 1";
      }
      case Restart -> {
        return Restarts.begin(d);
      }
    }
    throw new IllegalStateException("unreachable");
  }

  /** Finishes the current step whatever its kind, clearing the pauses it held. */
  private static void completeStep(Draft d) {
    if (d.s.state == Canary || d.s.state == Paused) {
      d.s.currentStepIndex = (d.s.currentStepIndex == null ? 0 : d.s.currentStepIndex) + 1;
    }
    d.removePause(PauseReason.PauseStep);
    d.removePause(PauseReason.AnalysisInconclusive);
  }

  private static String who(ManualAction req) {
    return req.requestedBy() != null
        ? req.requestedBy()
        : req.fieldManager() != null ? req.fieldManager() : "unknown";
  }
}
