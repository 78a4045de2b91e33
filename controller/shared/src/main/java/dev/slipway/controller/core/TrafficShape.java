package dev.slipway.controller.core;

import dev.slipway.api.v1alpha1.CanaryStep;
import dev.slipway.api.v1alpha1.RevisionState;
import dev.slipway.api.v1alpha1.RolloutStatus;

/**
 * The header segment and the mirror: set by their steps, kept in the status while the canary walks,
 * and gone from the routes before anything that ends the canary (promotion, abort, rollback, a
 * newer revision) counts the canary as drained.
 */
final class TrafficShape {
  private TrafficShape() {}

  /** A setHeaderRoute or setMirrorRoute step; true once the gateway accepted the shape. */
  static boolean step(RolloutDecider.Ctx c, String canary, CanaryStep step, String label) {
    Draft d = c.d();
    String what;
    if (step.setHeaderRoute() != null) {
      d.s.headerRoute =
          step.setHeaderRoute().matchOrEmpty().isEmpty() ? null : step.setHeaderRoute();
      what = d.s.headerRoute == null ? "the header segment's removal" : "the header segment";
    } else {
      int p = step.setMirrorRoute().percent();
      String unsupported = c.obs().traffic().mirrorUnsupported();
      if (p > 0 && unsupported != null) {
        // Such a gateway may accept the route and fail every request of the rule: never write it.
        String why = "mirroring is not supported by this gateway: " + unsupported;
        String msg =
            label
                + ": holding: "
                + why
                + "; abort, or change the step (the progress deadline still runs)";
        if (!msg.equals(d.s.message)) {
          d.act(new Action.Emit(true, "MirrorUnsupported", why));
        }
        d.condition("TrafficRouted", false, "MirrorUnsupported", why);
        return RolloutDecider.waitFor(c, msg);
      }
      d.s.mirrorPercent = p == 0 ? null : p;
      what = p == 0 ? "the mirror's removal" : "mirroring " + p + "% to the canary";
    }
    int want = c.canaryPods(sizingWeight(d.s));
    d.act(new Action.EnsureReplicaSet(canary, want));
    int ready = c.obs().ready(canary);
    if (ready < want) {
      // Segment or mirrored requests need a pod to land on.
      return RolloutDecider.waitFor(
          c,
          label
              + ": waiting for "
              + want
              + " ready canary pod(s) before "
              + what
              + " ("
              + ready
              + " ready)");
    }
    if (!desired(d.s).equals(c.obs().traffic().verifiedShape())) {
      return RolloutDecider.waitFor(c, label + ": waiting for the gateway to accept " + what);
    }
    return true;
  }

  /**
   * Outside a walking canary the shape is none. Every weight write of the pass carries the pass's
   * shape, and a shape that differs from the routes' gets a write of its own.
   */
  static void apply(RolloutDecider.Ctx c) {
    Draft d = c.d();
    boolean walking =
        d.s.canaryRevision != null
            && !Boolean.TRUE.equals(d.s.abort)
            && (d.s.state == RevisionState.Canary || d.s.state == RevisionState.Paused);
    if (!walking) {
      d.s.headerRoute = null;
      d.s.mirrorPercent = null;
    }
    if (!c.routed()) {
      return;
    }
    RouteShape want = desired(d.s);
    boolean written = false;
    for (int i = 0; i < d.actions.size(); i++) {
      if (d.actions.get(i) instanceof Action.SetWeight w) {
        d.actions.set(i, new Action.SetWeight(w.canaryWeight(), want));
        written = true;
      }
    }
    if (!written && d.s.desiredWeight != null && !want.equals(c.obs().traffic().shape())) {
      d.act(new Action.SetWeight(d.s.desiredWeight, want));
    }
  }

  static RouteShape desired(RolloutStatus.Builder s) {
    return Segments.shape(s.headerRoute, mirror(s));
  }

  static int mirror(RolloutStatus.Builder s) {
    return s.mirrorPercent == null ? 0 : s.mirrorPercent;
  }

  /** The canary serves its weight and receives its mirrored share: size it for the larger. */
  static int sizingWeight(RolloutStatus.Builder s) {
    return Math.max(s.desiredWeight == null ? 0 : s.desiredWeight, mirror(s));
  }
}
