package dev.slipway.controller.k8s;

import jakarta.inject.Singleton;
import java.util.function.BooleanSupplier;

/**
 * Whether this replica may act on Rollouts right now: it holds the lease (or runs without leader
 * election) and is not shutting down. A reconcile checks it before it records or acts and before
 * it writes status, so a replica that just lost its lease, or is on its way out, writes nothing
 * more, even with a pass in flight.
 */
@Singleton
public final class ActingGuard implements BooleanSupplier {
  private volatile boolean acting;

  void set(boolean acting) {
    this.acting = acting;
  }

  @Override
  public boolean getAsBoolean() {
    return acting;
  }
}
