package dev.slipway.controller.analysis;

import dev.slipway.analysis.run.RunResult;
import dev.slipway.api.v1alpha1.Rollout;
import dev.slipway.api.v1alpha1.StepPlan;
import dev.slipway.controller.core.Action;
import java.util.List;
import java.util.Map;

/** Runs the analysis the core asks for, and reports where each run stands, by step index. */
public interface AnalysisRunner {

  /** Starts the run if it is not running or finished already. Must be idempotent. */
  void start(Rollout rollout, Action.StartAnalysis request);

  /**
   * Takes the measurements that are due, then reports the canary revision's runs by step index
   * ({@code Observations.BACKGROUND} for background analysis).
   */
  Map<Integer, RunResult> results(Rollout rollout, String revision);

  /** Forgets one run; the next start measures afresh. */
  void forget(Rollout rollout, String revision, int stepIndex);

  /**
   * The canary revision is over (rolled back, aborted or superseded): whatever its runs still have
   * running outside the controller (a Job check's Job) is stopped.
   */
  default void stop(Rollout rollout, String revision) {}

  /** Forgets runs of the Rollout (a retry or a new revision starts afresh). */
  void reset(Rollout rollout);

  /**
   * What each analysis step's sequential metrics can detect for this canary revision, planned once
   * from the stable's traffic before it; empty when the Rollout has none (or the runner plans
   * none).
   */
  default List<StepPlan> powerPlan(Rollout rollout, String revision) {
    return List.of();
  }
}
