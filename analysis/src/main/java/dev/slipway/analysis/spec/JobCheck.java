package dev.slipway.analysis.spec;

import java.time.Duration;
import java.util.Objects;

/**
 * A Job check (issue 30): each measurement runs a Kubernetes Job from a template in the Rollout's
 * namespace; the Job's outcome is the verdict (succeeded = Successful, failed = Failed, deadline
 * exceeded = Error).
 *
 * @param template the Job's spec as JSON; {{args.NAME}} may stand in any string value, and is
 *     replaced value by value (it can change a string, never the document's shape)
 * @param deadline the Job's activeDeadlineSeconds: a hung Job ends as Error, never holds the canary
 * @param ttlAfterFinished how long a finished Job (and its pods' logs) is kept for people to read
 * @param logLines how many of the last log lines of each container go into the evidence
 */
public record JobCheck(
    String template, Duration deadline, Duration ttlAfterFinished, int logLines) {
  public static final Duration DEFAULT_DEADLINE = Duration.ofMinutes(10);
  public static final Duration DEFAULT_TTL = Duration.ofMinutes(10);

  /** A finished Job is kept at least this long, so a result is read before the Job is gone. */
  public static final Duration MIN_TTL = Duration.ofMinutes(1);

  public static final int DEFAULT_LOG_LINES = 20;
  public static final int MAX_LOG_LINES = 200;

  public JobCheck {
    Objects.requireNonNull(template, "template");
    deadline = deadline == null ? DEFAULT_DEADLINE : deadline;
    ttlAfterFinished = ttlAfterFinished == null ? DEFAULT_TTL : ttlAfterFinished;
    if (deadline.isNegative() || deadline.isZero() || deadline.toSeconds() < 1) {
      throw new IllegalArgumentException("a Job check's deadline must be at least 1s: " + deadline);
    }
    if (ttlAfterFinished.compareTo(MIN_TTL) < 0) {
      throw new IllegalArgumentException(
          "a Job check's ttlAfterFinished must be at least 1m, so its result is read before the"
              + " Job is deleted: "
              + ttlAfterFinished);
    }
    if (logLines < 0 || logLines > MAX_LOG_LINES) {
      throw new IllegalArgumentException(
          "a Job check keeps 0 to " + MAX_LOG_LINES + " log lines, not " + logLines);
    }
  }

  public JobCheck(String template) {
    this(template, null, null, DEFAULT_LOG_LINES);
  }
}
