package dev.slipway.controller.reconcile;

import dev.slipway.analysis.AnalysisResult;
import dev.slipway.api.v1alpha1.Rollout;
import dev.slipway.controller.core.Action;
import java.util.Map;

/** Runs the analysis an analysis step asks for, and reports verdicts by step index. */
public interface AnalysisRunner {

  /** Starts the run if it is not running or finished already. Must be idempotent. */
  void start(Rollout rollout, Action.StartAnalysis request);

  /** Verdicts for the given canary revision, by step index. */
  Map<Integer, AnalysisResult> results(Rollout rollout, String revision);

  /** Forgets runs of the Rollout (a retry or a new revision starts afresh). */
  void reset(Rollout rollout);
}
