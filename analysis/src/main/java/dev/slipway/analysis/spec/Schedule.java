package dev.slipway.analysis.spec;

import java.time.Duration;
import java.util.Objects;

/**
 * When a metric is measured and how many bad measurements it tolerates. The limits count
 * measurements of that kind; one more than the limit ends the metric with that verdict.
 */
public record Schedule(
    Duration interval,
    int count,
    Duration initialDelay,
    int failureLimit,
    int inconclusiveLimit,
    int consecutiveErrorLimit) {

  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(30);
  public static final int DEFAULT_COUNT = 1;
  public static final int DEFAULT_CONSECUTIVE_ERROR_LIMIT = 4;

  public Schedule {
    Objects.requireNonNull(interval, "interval");
    Objects.requireNonNull(initialDelay, "initialDelay");
    if (count < 1) throw new IllegalArgumentException("count must be at least 1");
    if (interval.isNegative() || interval.isZero())
      throw new IllegalArgumentException("interval must be positive");
    if (failureLimit < 0 || inconclusiveLimit < 0 || consecutiveErrorLimit < 0) {
      throw new IllegalArgumentException("limits must not be negative");
    }
  }

  public static Schedule once() {
    return new Schedule(
        DEFAULT_INTERVAL, DEFAULT_COUNT, Duration.ZERO, 0, 0, DEFAULT_CONSECUTIVE_ERROR_LIMIT);
  }

  public static Schedule every(Duration interval, int count) {
    return new Schedule(interval, count, Duration.ZERO, 0, 0, DEFAULT_CONSECUTIVE_ERROR_LIMIT);
  }

  public Schedule withLimits(int failureLimit, int inconclusiveLimit, int consecutiveErrorLimit) {
    return new Schedule(
        interval, count, initialDelay, failureLimit, inconclusiveLimit, consecutiveErrorLimit);
  }

  public Schedule withInitialDelay(Duration delay) {
    return new Schedule(
        interval, count, delay, failureLimit, inconclusiveLimit, consecutiveErrorLimit);
  }
}
