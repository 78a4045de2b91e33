package dev.slipway.controller.core;

import dev.slipway.api.v1alpha1.CanaryStep;
import dev.slipway.api.v1alpha1.CanaryStrategy;
import dev.slipway.api.v1alpha1.Durations;
import dev.slipway.api.v1alpha1.RolloutSpec;
import java.util.List;

/**
 * Re-checks at runtime what admission normally rejects, for API servers without CEL or objects
 * stored before a schema change. Returns the first problem, naming the field, or null.
 */
public final class SpecCheck {
  private SpecCheck() {}

  public static String problem(RolloutSpec spec) {
    if (spec == null) {
      return "spec: required";
    }
    if (spec.template() == null) {
      return "spec.template: required";
    }
    if (spec.strategy() == null || spec.strategy().canary() == null) {
      return "spec.strategy.canary: required";
    }
    CanaryStrategy c = spec.strategy().canary();
    if (blank(c.stableService())) {
      return "spec.strategy.canary.stableService: required";
    }
    if (blank(c.canaryService())) {
      return "spec.strategy.canary.canaryService: required";
    }
    if (c.stableService().equals(c.canaryService())) {
      return "spec.strategy.canary: stableService and canaryService must name different Services";
    }
    boolean routed = c.trafficRouting() != null && c.trafficRouting().gatewayAPI() != null
        && c.trafficRouting().gatewayAPI().httpRoutes() != null
        && !c.trafficRouting().gatewayAPI().httpRoutes().isEmpty();
    List<CanaryStep> steps = c.stepsOrEmpty();
    for (int i = 0; i < steps.size(); i++) {
      String field = "spec.strategy.canary.steps[" + i + "]";
      String p = stepProblem(steps.get(i), field, routed);
      if (p != null) {
        return p;
      }
    }
    return null;
  }

  private static String stepProblem(CanaryStep s, String field, boolean routed) {
    int set = (s.setWeight() != null ? 1 : 0) + (s.pause() != null ? 1 : 0)
        + (s.setCanaryScale() != null ? 1 : 0) + (s.analysis() != null ? 1 : 0);
    if (set != 1) {
      return field + ": each step must set exactly one of setWeight, pause, setCanaryScale, analysis";
    }
    if (s.setWeight() != null) {
      if (s.setWeight() < 0 || s.setWeight() > 100) {
        return field + ".setWeight: must be between 0 and 100, got " + s.setWeight();
      }
      if (!routed) {
        return "spec.strategy.canary.trafficRouting: setWeight steps need trafficRouting.gatewayAPI with at least one HTTPRoute";
      }
    }
    if (s.pause() != null && s.pause().duration() != null) {
      try {
        Durations.parse(s.pause().duration());
      } catch (IllegalArgumentException e) {
        return field + ".pause.duration: " + e.getMessage();
      }
    }
    return null;
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }
}
