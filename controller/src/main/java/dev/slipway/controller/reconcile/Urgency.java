package dev.slipway.controller.reconcile;

import dev.slipway.api.v1alpha1.RevisionState;
import dev.slipway.api.v1alpha1.Rollout;
import java.util.Objects;

/**
 * How soon a Rollout's pass must run, read from the informer's copy when the pass is queued. A
 * person waiting on a request (an abort above all) or a deletion holding traffic comes first; then
 * a revision in flight, whose canary takes traffic while it waits; then a spec nobody has acted on
 * yet; a settled Rollout, whose pass only confirms what is already so (thousands of them after a
 * restart), comes last. Pure.
 */
public enum Urgency {
  /** A manual request pending, or the Rollout is being deleted. */
  REQUEST,
  /** A revision in flight, or a spec not acted on yet. */
  ACTIVE,
  /** Settled: the cached status already describes a finished revision of the current spec. */
  SETTLED;

  public static Urgency of(Rollout r) {
    if (r == null || r.getMetadata() == null) return ACTIVE;
    var st = r.getStatus();
    if (r.getMetadata().getDeletionTimestamp() != null || (st != null && st.request() != null))
      return REQUEST;
    if (st == null
        || st.canaryRevision() != null
        || st.state() != RevisionState.Stable
        || !Objects.equals(st.observedGeneration(), r.getMetadata().getGeneration())) return ACTIVE;
    return SETTLED;
  }
}
