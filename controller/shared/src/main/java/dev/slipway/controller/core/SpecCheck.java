package dev.slipway.controller.core;

import dev.slipway.api.v1alpha1.BlueGreenStrategy;
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
    if (spec.template() == null && spec.workloadRef() == null) {
      return "spec.template: required (or spec.workloadRef, to read it from a Deployment)";
    }
    if (spec.strategy() == null
        || (spec.strategy().canary() == null) == (spec.strategy().blueGreen() == null)) {
      return "spec.strategy: set exactly one of canary, blueGreen";
    }
    if (spec.strategy().blueGreen() != null) {
      String p = blueGreenProblem(spec.strategy().blueGreen());
      if (p != null) {
        return p;
      }
    }
    CanaryStrategy c = spec.strategy().plan();
    if (blank(c.stableService())) {
      return "spec.strategy.canary.stableService: required";
    }
    if (blank(c.canaryService())) {
      return "spec.strategy.canary.canaryService: required";
    }
    if (c.stableService().equals(c.canaryService())) {
      return "spec.strategy.canary: stableService and canaryService must name different Services";
    }
    var gw = c.trafficRouting() == null ? null : c.trafficRouting().gatewayAPI();
    boolean routed =
        gw != null && (!gw.httpRoutesOrEmpty().isEmpty() || !gw.grpcRoutesOrEmpty().isEmpty());
    boolean grpc = gw != null && !gw.grpcRoutesOrEmpty().isEmpty();
    boolean grpcOnly = grpc && gw.httpRoutesOrEmpty().isEmpty();
    List<CanaryStep> steps = c.stepsOrEmpty();
    for (int i = 0; i < steps.size(); i++) {
      String field = "spec.strategy.canary.steps[" + i + "]";
      CanaryStep step = steps.get(i);
      if (grpc && step.setMirrorRoute() != null) {
        return "spec.strategy.canary.steps: setMirrorRoute mirrors HTTPRoutes only; a Rollout with grpcRoutes takes weights and segments";
      }
      if (step.setCanaryScale() != null
          && step.setCanaryScale().nodeSelector() != null
          && (spec.workloadRef() == null || !spec.workloadRef().daemonSet())) {
        return "spec: setCanaryScale.nodeSelector names nodes: it needs workloadRef.kind DaemonSet";
      }
      if (!grpcOnly && Segments.grpcMethod(step.setHeaderRoute()) != null) {
        return "spec.strategy.canary.steps: a grpcMethod segment needs trafficRouting.gatewayAPI.grpcRoutes and no httpRoutes (an HTTPRoute has no gRPC method to match)";
      }
      String p = stepProblem(step, field, routed);
      if (p != null) {
        return p;
      }
    }
    return null;
  }

  private static String stepProblem(CanaryStep s, String field, boolean routed) {
    int set =
        (s.setWeight() != null ? 1 : 0)
            + (s.pause() != null ? 1 : 0)
            + (s.setCanaryScale() != null ? 1 : 0)
            + (s.analysis() != null ? 1 : 0)
            + (s.setHeaderRoute() != null ? 1 : 0)
            + (s.setMirrorRoute() != null ? 1 : 0);
    if (set != 1) {
      return field
          + ": each step must set exactly one of setWeight, pause, setCanaryScale, analysis, setHeaderRoute, setMirrorRoute";
    }
    if ((s.setHeaderRoute() != null || s.setMirrorRoute() != null) && !routed) {
      return "spec.strategy.canary.trafficRouting: setWeight, setHeaderRoute and setMirrorRoute steps need trafficRouting.gatewayAPI with at least one HTTPRoute or GRPCRoute";
    }
    if (s.setMirrorRoute() != null
        && (s.setMirrorRoute().percent() == null
            || s.setMirrorRoute().percent() < 0
            || s.setMirrorRoute().percent() > 100)) {
      return field
          + ".setMirrorRoute.percent: must be between 0 and 100, got "
          + s.setMirrorRoute().percent();
    }
    if (s.setHeaderRoute() != null) {
      String p = Segments.problem(s.setHeaderRoute(), field + ".setHeaderRoute");
      if (p != null) {
        return p;
      }
    }
    if (s.setWeight() != null) {
      if (s.setWeight() < 0 || s.setWeight() > 100) {
        return field + ".setWeight: must be between 0 and 100, got " + s.setWeight();
      }
      if (!routed) {
        return "spec.strategy.canary.trafficRouting: setWeight, setHeaderRoute and setMirrorRoute steps need trafficRouting.gatewayAPI with at least one HTTPRoute or GRPCRoute";
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

  private static String blueGreenProblem(BlueGreenStrategy b) {
    if (blank(b.activeService())) {
      return "spec.strategy.blueGreen.activeService: required";
    }
    if (blank(b.previewService())) {
      return "spec.strategy.blueGreen.previewService: required";
    }
    if (b.activeService().equals(b.previewService())) {
      return "spec.strategy.blueGreen: activeService and previewService must name different Services";
    }
    if (b.previewReplicas() != null && b.previewReplicas() < 1) {
      return "spec.strategy.blueGreen.previewReplicas: must be at least 1, got "
          + b.previewReplicas();
    }
    for (String[] d :
        new String[][] {
          {"autoPromotionAfter", b.autoPromotionAfter()}, {"scaleDownDelay", b.scaleDownDelay()}
        }) {
      if (d[1] != null) {
        try {
          Durations.parse(d[1]);
        } catch (IllegalArgumentException e) {
          return "spec.strategy.blueGreen." + d[0] + ": " + e.getMessage();
        }
      }
    }
    return null;
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }
}
