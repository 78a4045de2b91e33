package dev.slipway.controller.core;

import dev.slipway.api.v1alpha1.CanaryStep;

/** A step's short name, as transitions and evidence spell it. */
public final class StepNames {
  private StepNames() {}

  public static String of(CanaryStep s) {
    return switch (s.kind()) {
      case SET_WEIGHT -> "setWeight=" + s.setWeight();
      case PAUSE -> "pause" + (s.pause().duration() == null ? "" : "=" + s.pause().duration());
      case SET_CANARY_SCALE -> "setCanaryScale";
      case ANALYSIS -> "analysis";
      case SET_HEADER_ROUTE -> "setHeaderRoute";
      case SET_MIRROR_ROUTE -> "setMirrorRoute=" + s.setMirrorRoute().percent();
    };
  }
}
