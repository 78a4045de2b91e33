package dev.slipway.controller.k8s;

import jakarta.inject.Singleton;
import java.util.function.BooleanSupplier;

/**
 * Whether this replica may act on Rollouts right now: it leads (holds the lease, or runs without
 * leader election) and is not shutting down. A reconcile checks it before it records or acts and
 * before it writes status, so a replica that just lost its lease, or is on its way out, writes
 * nothing more, even with a pass in flight. The one place these two facts are kept.
 */
@Singleton
public final class ActingGuard implements BooleanSupplier {
  private volatile boolean leads;
  private volatile boolean stopping;

  void leads(boolean leads) {
    this.leads = leads;
  }

  public boolean leads() {
    return leads;
  }

  void stop() {
    stopping = true;
  }

  boolean stopping() {
    return stopping;
  }

  @Override
  public boolean getAsBoolean() {
    return leads && !stopping;
  }
}
