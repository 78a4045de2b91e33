package dev.slipway.controller.analysis;

import dev.slipway.analysis.judge.Measurement;
import dev.slipway.api.v1alpha1.Rollout;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The measurements an earlier controller process took of a run, so a restarted controller resumes
 * the run where it stood instead of measuring the step from the start again.
 */
public interface RunHistory {

  /**
   * The latest run of this step of this revision in the Rollout's current attempt, if one was
   * recorded.
   */
  Optional<PastRun> latest(Rollout rollout, String revision, int stepIndex);

  /** A run as recorded: when it started (it names the run) and its measurements, oldest first. */
  record PastRun(Instant startedAt, List<Measurement> measurements) {
    public PastRun {
      measurements = List.copyOf(measurements);
    }
  }

  RunHistory NONE = (rollout, revision, stepIndex) -> Optional.empty();
}
