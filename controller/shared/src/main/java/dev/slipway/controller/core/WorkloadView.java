package dev.slipway.controller.core;

/**
 * The workload named by spec.workloadRef, as it is: its replica count, or that it is gone, the
 * StatefulSet's ordinals when it is one (null for a Deployment), and why it may not be adopted or
 * walked (null when it may): its owner has not consented (annotation slipway.dev/adopt-by naming
 * the Rollout), an older Rollout names it, or the Rollout's Services do not select its pods.
 */
public record WorkloadView(
    String name, boolean exists, int replicas, String refusal, StatefulSetView statefulSet) {
  public WorkloadView(String name, boolean exists, int replicas) {
    this(name, exists, replicas, null, null);
  }

  public WorkloadView(String name, boolean exists, int replicas, String refusal) {
    this(name, exists, replicas, refusal, null);
  }
}
