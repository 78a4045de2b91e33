package dev.slipway.controller.core;

import dev.slipway.api.v1alpha1.AnalysisStep;
import dev.slipway.api.v1alpha1.RevisionState;
import dev.slipway.api.v1alpha1.WorkloadRef;
import java.util.Objects;

/**
 * What the reconciler must do. The core decides; the reconciler only carries these out, in order.
 */
public sealed interface Action {

  /**
   * Create the ReplicaSet for this revision from spec.template if absent, and set its replica
   * count.
   */
  record EnsureReplicaSet(String revision, int replicas) implements Action {}

  /** Scale an existing ReplicaSet (never creates one). */
  record ScaleReplicaSet(String revision, int replicas) implements Action {}

  /** Point the stable and canary Service selectors at these revisions. */
  record PointServices(String stableRevision, String canaryRevision) implements Action {}

  /**
   * Write the canary weight (and 100 - weight for stable) on every managed route, together with the
   * segment rules and mirror filter of {@code shape}: one write per route, so the two never race
   * each other's resourceVersion.
   */
  record SetWeight(int canaryWeight, RouteShape shape) implements Action {
    public SetWeight {
      Objects.requireNonNull(shape, "shape");
    }

    /**
     * A weight alone; {@link TrafficShape} gives every weight write the pass's shape before it
     * leaves the core.
     */
    public SetWeight(int canaryWeight) {
      this(canaryWeight, RouteShape.NONE);
    }
  }

  /** Start (or keep running) the analysis of this step for the canary revision. */
  record StartAnalysis(String revision, int stepIndex, AnalysisStep step) implements Action {}

  /**
   * Forget one analysis run, so the next StartAnalysis measures afresh (background analysis after a
   * pause).
   */
  record ForgetAnalysis(String revision, int stepIndex) implements Action {}

  /** Forget earlier analysis runs of the Rollout: a revision (re)starts from step 1. */
  record ResetAnalysis(String revision) implements Action {}

  /**
   * The revision's canary is over (rolled back, aborted, superseded): its analysis stops, and what
   * runs outside the controller for it (a Job check's Job) is deleted.
   */
  record StopAnalysis(String revision) implements Action {}

  /** A state-machine transition of one revision attempt; recorded as an Event and as evidence. */
  record RecordTransition(
      String revision,
      int attempt,
      Integer step,
      RevisionState from,
      RevisionState to,
      String reason,
      String message)
      implements Action {}

  /**
   * Someone else changed what we decided (a weight, a Service selector); we put it back in this
   * pass. Recorded as a Warning Event and as evidence; {@code key} names this drift uniquely (the
   * changed object's generation or resourceVersion), so a replayed pass records it once.
   */
  record RecordDrift(
      String revision, int attempt, String what, String observed, String decided, String key)
      implements Action {}

  /** Anything else worth an Event: manual actions, refused requests, invalid spec. */
  record Emit(boolean warning, String reason, String message) implements Action {}

  /**
   * Evict one pod of a restart through the Eviction API, so PodDisruptionBudgets are honoured; the
   * uid precondition keeps a replayed decision from evicting the pod that replaced it.
   */
  record EvictPod(String name, String uid, String revision, String restartAt) implements Action {}

  /**
   * Set the partition of the StatefulSet walked in place: ordinals at and above it run its update
   * revision.
   */
  record SetPartition(String statefulSet, int partition) implements Action {}

  /**
   * Replace one pod of that StatefulSet or DaemonSet (evicted, uid-pinned, so a replayed decision
   * never takes its successor), so its controller recreates it at revision {@code to}: a
   * StatefulSet's at its ordinal, with the same claim; a DaemonSet's on its node.
   *
   * @param ordinal the StatefulSet ordinal, or -1 for a DaemonSet's pod
   * @param node the DaemonSet pod's node, or null for a StatefulSet's
   */
  record ReplacePod(String name, String uid, int ordinal, String node, String from, String to)
      implements Action {}

  /**
   * Write the pod template of {@code revision} (its ControllerRevision's) into the workload walked
   * in place, pinned to the resourceVersion read: a rollback's first write, once its pods can go
   * back no other way (a DaemonSet's controller recreates a pod from the template it holds; a
   * StatefulSet's from its current revision, which can be the one rolled back).
   *
   * @param kind the workload's kind, DaemonSet or StatefulSet
   */
  record WriteTemplate(WorkloadRef.Kind kind, String workload, String revision) implements Action {}

  /** Scale an adopted workload (spec.workloadRef) through its scale subresource. */
  record ScaleWorkload(String name, int replicas) implements Action {}

  /**
   * Delete scaled-down ReplicaSets beyond the history limit, oldest first, never these revisions.
   */
  record PruneHistory(int keep, String stableRevision, String canaryRevision) implements Action {}
}
