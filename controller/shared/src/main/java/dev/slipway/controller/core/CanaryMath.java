package dev.slipway.controller.core;

import dev.slipway.api.v1alpha1.SetCanaryScale;

/** Canary pod counts, kept apart so the rounding rules have one home. */
public final class CanaryMath {
  private CanaryMath() {}

  /**
   * Pods the canary needs to carry {@code weight}% of traffic: the share of {@code replicas},
   * rounded up, and at least one so readiness can be observed. A setCanaryScale override wins.
   */
  public static int canaryReplicas(int replicas, int weight, SetCanaryScale override) {
    if (override != null && override.replicas() != null) {
      return override.replicas();
    }
    int pct = override != null && override.weight() != null ? override.weight() : weight;
    int n = (int) Math.ceil(replicas * pct / 100.0);
    return Math.max(1, Math.min(n, Math.max(replicas, 1)));
  }
}
