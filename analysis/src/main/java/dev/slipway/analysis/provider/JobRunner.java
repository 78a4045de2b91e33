package dev.slipway.analysis.provider;

import dev.slipway.analysis.Verdict;
import dev.slipway.analysis.promql.AnalysisArgs;
import dev.slipway.analysis.spec.JobCheck;
import java.time.Instant;
import java.util.Objects;

/**
 * Runs Job checks. {@link #observe} creates the named Job if it does not exist yet, and otherwise
 * reads it: the name is fixed per run and measurement, so a pass that repeats (or a restarted
 * controller) finds the Job it created instead of starting a second one. Implementations never
 * throw.
 */
public interface JobRunner {

  /** Where the named Job stands: created or still running (Pending), or over (Finished). */
  Observation observe(Request request);

  /**
   * Deletes the Rollout's Jobs of {@code revision} that are still running (an abort, a rollback or
   * a newer revision): a smoke test of a canary that is gone has nothing left to prove.
   */
  default void cancel(String namespace, String rollout, String revision) {}

  /**
   * One measurement's Job.
   *
   * @param name the Job's name, fixed per run and measurement ({@code JobNames})
   * @param args the run's arguments: namespace, rollout, revision and the template's own
   */
  record Request(String name, String metric, AnalysisArgs args, JobCheck check) {
    public Request {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(metric, "metric");
      Objects.requireNonNull(args, "args");
      Objects.requireNonNull(check, "check");
    }
  }

  /** Where a Job stands. */
  sealed interface Observation {}

  /** Created, or running: no measurement yet. */
  record Pending(String state) implements Observation {}

  /**
   * The Job is over: Successful, Failed or Error.
   *
   * @param reason the outcome, the containers' exit codes and their log tails (bounded, redacted)
   * @param createdAt when the Job was created (the measurement's start); null if it never was
   */
  record Finished(Verdict verdict, String reason, Instant createdAt) implements Observation {
    public Finished {
      Objects.requireNonNull(verdict, "verdict");
      Objects.requireNonNull(reason, "reason");
    }
  }

  /** A controller without Job checks: each is an Error that says so. */
  JobRunner NONE =
      r -> new Finished(Verdict.Error, "Job checks are not configured in this controller", null);
}
