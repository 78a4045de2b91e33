package dev.slipway.analysis.sequential;

import java.time.Instant;
import java.util.Objects;

/**
 * One look of a sequential test: the canary's and the baseline's counts since the previous look,
 * taken at {@code at}.
 */
public record Look(Instant at, Counts canary, Counts baseline) {
  public Look {
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(canary, "canary");
    Objects.requireNonNull(baseline, "baseline");
  }

  /** Events on both sides together: only these carry evidence about the ratio. */
  public long events() {
    return canary.events() + baseline.events();
  }

  /**
   * The canary's share of this look's requests: what its share of events would be if it were no
   * worse.
   */
  public double canaryShare() {
    long n = canary.trials() + baseline.trials();
    return n == 0 ? Double.NaN : (double) canary.trials() / n;
  }
}
