package dev.slipway.controller.core;

import static dev.slipway.api.v1alpha1.RevisionState.Promoted;

import dev.slipway.analysis.AnalysisResult;
import dev.slipway.analysis.Verdict;
import dev.slipway.analysis.run.RunResult;
import dev.slipway.api.v1alpha1.Durations;
import dev.slipway.api.v1alpha1.PostPromotion;
import dev.slipway.controller.core.RolloutDecider.Ctx;
import java.time.Duration;
import java.time.Instant;

/**
 * The observation window after promotion: the new revision serves all traffic while the previous
 * stable ReplicaSet stays scaled up. A Failed or Error analysis verdict inside it rolls back (the
 * stable Service goes back to the previous revision at once) or, with onFailure: Alert, is recorded
 * and warned about. Part of the pure core.
 */
final class PostPromotionWindow {
  /** The key of post-promotion analysis in {@code Observations.analysis()}. */
  static final int KEY = -2;

  private PostPromotionWindow() {}

  /** True once the revision may be recorded Stable; otherwise it has decided what to wait for. */
  static boolean over(Ctx c, String revision) {
    PostPromotion pp = c.spec().strategy().plan().postPromotion();
    Draft d = c.d();
    if (pp == null || d.s.state != Promoted) {
      return true;
    }
    if (d.s.observingSince == null) {
      d.s.observingSince = d.now.toString();
    }
    Instant end = Instant.parse(d.s.observingSince).plus(Durations.parse(pp.window()));
    d.deadlineExempt = true;
    if (d.s.promotedFrom != null) {
      // Keep the previous stable ready to take the traffic back.
      d.act(new Action.EnsureReplicaSet(d.s.promotedFrom, c.replicas()));
    }
    AnalysisResult verdict = null;
    if (pp.analysis() != null) {
      RunResult run = c.obs().analysis().get(KEY);
      verdict = run == null ? null : run.result();
      if (verdict == null || !verdict.verdict().isTerminal()) {
        d.act(new Action.StartAnalysis(revision, KEY, pp.analysis()));
        if (run != null && run.nextMeasurementAt() != null) {
          d.requeueIn(Duration.between(d.now, run.nextMeasurementAt()));
        }
      } else if (verdict.verdict() == Verdict.Failed || verdict.verdict() == Verdict.Error) {
        String msg = "post-promotion analysis " + verdict.verdict() + ": " + verdict.reason();
        if (pp.onFailureOrDefault() == PostPromotion.OnFailure.Rollback
            && d.s.promotedFrom != null) {
          String previous = d.s.promotedFrom;
          d.s.stableRevision = previous;
          d.act(new Action.PointServices(previous, previous));
          // The promoted revision's pods lose their traffic now: their scale-down delay starts
          // afresh.
          ScaleDownDelay.reset(d);
          RolloutDecider.rollback(
              c, revision, "PostPromotionAnalysisFailed", msg + "; traffic back to " + previous);
          return false;
        }
        if (AnalysisGate.recordVerdict(d, "post-promotion", verdict, "post-promotion analysis")) {
          d.act(
              new Action.Emit(
                  true,
                  "PostPromotionAnalysisFailed",
                  msg + " (onFailure: Alert; the revision stays)"));
        }
      } else {
        AnalysisGate.recordVerdict(d, "post-promotion", verdict, "post-promotion analysis");
      }
    }
    boolean analysisDone =
        pp.analysis() == null || (verdict != null && verdict.verdict().isTerminal());
    if (d.now.isBefore(end) || !analysisDone) {
      d.requeueIn(d.now.isBefore(end) ? Duration.between(d.now, end) : RolloutDecider.POLL);
      d.s.message =
          "promoted; observing "
              + revision
              + " until "
              + end
              + (analysisDone ? "" : " and until its analysis finishes")
              + (d.s.promotedFrom == null
                  ? ""
                  : " (" + d.s.promotedFrom + " kept ready for a rollback)");
      return false;
    }
    return true;
  }
}
