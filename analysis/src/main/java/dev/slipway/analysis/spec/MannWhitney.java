package dev.slipway.analysis.spec;

import java.time.Duration;
import java.util.Objects;

/**
 * Asks for a Mann-Whitney U test over the window's samples (one per {@code step}). The canary fails
 * when it is worse and the two-sided p-value is below {@code alpha}.
 */
public record MannWhitney(double alpha, Duration step) {
  public static final Duration DEFAULT_STEP = Duration.ofSeconds(10);

  public MannWhitney {
    Objects.requireNonNull(step, "step");
    if (!(alpha > 0 && alpha < 1)) throw new IllegalArgumentException("alpha must be in (0, 1)");
    if (step.isNegative() || step.isZero())
      throw new IllegalArgumentException("step must be positive");
  }
}
