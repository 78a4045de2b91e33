package dev.slipway.controller.core;

import static dev.slipway.api.v1alpha1.RevisionState.Canary;
import static dev.slipway.api.v1alpha1.RevisionState.Paused;
import static dev.slipway.api.v1alpha1.RevisionState.Pending;
import static dev.slipway.api.v1alpha1.RevisionState.Promoted;
import static dev.slipway.api.v1alpha1.RevisionState.Ready;
import static dev.slipway.api.v1alpha1.RevisionState.RolledBack;
import static dev.slipway.api.v1alpha1.RevisionState.Stable;
import static dev.slipway.api.v1alpha1.RevisionState.Superseded;

import dev.slipway.api.v1alpha1.RevisionState;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The legal transitions of one revision, written down once. Anything else is a bug in the decision
 * core, and is refused rather than recorded.
 */
public final class Transitions {
  private static final Map<RevisionState, Set<RevisionState>> LEGAL =
      new EnumMap<>(RevisionState.class);

  static {
    // Pending -> Stable is the first deploy only: there is no stable revision to canary against.
    LEGAL.put(Pending, EnumSet.of(Ready, Stable, RolledBack, Superseded));
    LEGAL.put(Ready, EnumSet.of(Canary, RolledBack, Superseded));
    LEGAL.put(Canary, EnumSet.of(Paused, Promoted, RolledBack, Superseded));
    LEGAL.put(Paused, EnumSet.of(Canary, Promoted, RolledBack, Superseded));
    LEGAL.put(Promoted, EnumSet.of(Stable, RolledBack, Superseded));
    LEGAL.put(Stable, EnumSet.of(Superseded));
    LEGAL.put(RolledBack, EnumSet.of(Pending, Superseded));
    LEGAL.put(Superseded, EnumSet.noneOf(RevisionState.class));
  }

  private Transitions() {}

  /** A revision is born Pending; from then on only the table's edges are legal. */
  public static boolean isLegal(RevisionState from, RevisionState to) {
    if (from == null) {
      return to == Pending;
    }
    return LEGAL.get(from).contains(to);
  }

  public static void check(RevisionState from, RevisionState to) {
    if (!isLegal(from, to)) {
      throw new IllegalTransitionException(from, to);
    }
  }

  public static Set<RevisionState> from(RevisionState state) {
    return Set.copyOf(LEGAL.get(state));
  }

  /** Thrown when the core tries an edge the table does not have. */
  public static final class IllegalTransitionException extends IllegalStateException {
    public IllegalTransitionException(RevisionState from, RevisionState to) {
      super("illegal transition " + from + " -> " + to);
    }
  }
}
