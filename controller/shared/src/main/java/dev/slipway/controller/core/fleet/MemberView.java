package dev.slipway.controller.core.fleet;

import dev.slipway.api.v1alpha1.RevisionState;

/**
 * One member Rollout as the hub read it this pass. {@code reach} says whether it could be read at
 * all; the rest holds only when it could.
 *
 * @param onRevision its pod template carries the release's image and its status speaks for that
 *     template (observedGeneration is the generation)
 * @param state the state of its status.stateRevision
 * @param gated waiting at its first step, an indefinite pause, for the hub to open its wave
 * @param inFlight a canary of the revision is running (Canary, Paused past the gate, Promoted) and
 *     no abort is pending for it
 * @param requestPending status.request is set: something was asked and not carried out yet
 * @param evidenceHead its status.evidenceHead
 * @param verified whether its records verified with its cluster's key at that head; null when the
 *     hub did not check (it checks only the open wave's Stable Rollouts)
 * @param detail its status.message, or why it could not be read or verified
 */
public record MemberView(
    String cluster,
    String namespace,
    String rollout,
    Reach reach,
    boolean onRevision,
    RevisionState state,
    boolean gated,
    boolean inFlight,
    boolean requestPending,
    String evidenceHead,
    Boolean verified,
    String detail) {

  public enum Reach {
    READ,
    /** The cluster answered: no such Rollout. */
    MISSING,
    /** The cluster did not answer, or refused. */
    UNREACHABLE
  }

  public String id() {
    return cluster + ":" + namespace + "/" + rollout;
  }

  public static MemberView unreachable(
      String cluster, String namespace, String rollout, String why) {
    return unread(cluster, namespace, rollout, Reach.UNREACHABLE, why);
  }

  public static MemberView missing(String cluster, String namespace, String rollout) {
    return unread(cluster, namespace, rollout, Reach.MISSING, "no such Rollout in the cluster");
  }

  private static MemberView unread(
      String cluster, String namespace, String rollout, Reach reach, String why) {
    return new MemberView(
        cluster, namespace, rollout, reach, false, null, false, false, false, null, null, why);
  }

  /** Stable on the release's revision. */
  public boolean stableOnRevision() {
    return reach == Reach.READ && onRevision && state == RevisionState.Stable;
  }

  /** Rolled back while on the release's revision. */
  public boolean rolledBack() {
    return reach == Reach.READ && onRevision && state == RevisionState.RolledBack;
  }
}
