package dev.slipway.controller.core;

/**
 * The workload named by spec.workloadRef, as it is: its replica count, or that it is gone, the
 * StatefulSet's ordinals or the DaemonSet's nodes when it is one (null otherwise), and why it may
 * not be adopted or walked (null when it may): its owner has not consented (annotation
 * slipway.dev/adopt-by naming the Rollout), an older Rollout names it, or the Rollout's Services do
 * not select its pods.
 */
public record WorkloadView(
    String name,
    boolean exists,
    int replicas,
    String refusal,
    StatefulSetView statefulSet,
    DaemonSetView daemonSet) {
  public WorkloadView(String name, boolean exists, int replicas) {
    this(name, exists, replicas, null, null, null);
  }

  public WorkloadView(String name, boolean exists, int replicas, String refusal) {
    this(name, exists, replicas, refusal, null, null);
  }

  public WorkloadView(
      String name, boolean exists, int replicas, String refusal, StatefulSetView statefulSet) {
    this(name, exists, replicas, refusal, statefulSet, null);
  }
}
