package dev.slipway.controller.core;

import dev.slipway.api.v1alpha1.Phase;
import dev.slipway.api.v1alpha1.RevisionState;

/** Maps the revision state onto the phase Argo CD's health model understands. */
public final class Phases {
  private Phases() {}

  /**
   * The phase a revision in this state shows.
   *
   * @param settling traffic or pods are still moving (e.g. draining a reverted canary), so a Stable
   *     revision is not yet Healthy
   */
  public static Phase of(RevisionState state, boolean settling) {
    return switch (state) {
      case Pending, Ready, Canary, Promoted, Superseded -> Phase.Progressing;
      case Paused -> Phase.Paused;
      case Stable -> settling ? Phase.Progressing : Phase.Healthy;
      case RolledBack -> Phase.Degraded;
    };
  }
}
