package dev.slipway.e2e;

import dev.slipway.api.v1alpha1.Rollout;
import dev.slipway.api.v1alpha1.RolloutStatus;
import dev.slipway.controller.reconcile.ClusterFixture;
import dev.slipway.e2e.tools.Await;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

/**
 * Waiting on a Rollout, for every e2e test: built on {@link Await}, the harness's one way to wait.
 * (Tests used to borrow these from ControllerE2ETest, a test class.)
 */
public final class RolloutAwait {
  private RolloutAwait() {}

  /**
   * Polls the fixture's Rollout until {@code done}, recording each distinct status line (state,
   * step, weights, message) in {@code trace} and on stdout.
   */
  public static RolloutStatus status(
      ClusterFixture f, Predicate<RolloutStatus> done, Duration timeout, List<String> trace) {
    String[] last = {""};
    return Await.until("the Rollout's status", timeout)
        .explaining(() -> "trace: " + trace)
        .value(
            () -> {
              Rollout r = f.get();
              RolloutStatus s = r == null ? null : r.getStatus();
              if (s == null) return null;
              int[] w = f.weights();
              String line =
                  s.state()
                      + " step="
                      + s.currentStepIndex()
                      + " weights="
                      + w[0]
                      + "/"
                      + w[1]
                      + " msg="
                      + s.message();
              if (!line.equals(last[0])) {
                trace.add(line);
                System.out.println("  " + line);
                last[0] = line;
              }
              return done.test(s) ? s : null;
            });
  }

  /** Polls the Rollout's status alone (no routes read) until {@code done}. */
  public static RolloutStatus status(
      ClusterFixture f, String what, Predicate<RolloutStatus> done, Duration timeout) {
    return Await.until(what, timeout)
        .explaining(() -> "status: " + (f.get() == null ? null : f.get().getStatus()))
        .value(
            () -> {
              Rollout r = f.get();
              return r != null && r.getStatus() != null && done.test(r.getStatus())
                  ? r.getStatus()
                  : null;
            });
  }
}
