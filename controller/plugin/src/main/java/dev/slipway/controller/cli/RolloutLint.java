package dev.slipway.controller.cli;

import dev.slipway.api.v1alpha1.CanaryStep;
import dev.slipway.api.v1alpha1.CanaryStrategy;
import dev.slipway.api.v1alpha1.RolloutSpec;
import dev.slipway.controller.analysis.MetricChecks;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code lint} knows about a Rollout beyond the spec checks the controller makes: its inline
 * metrics (as {@link MetricChecks} judges them) and, as warnings, what will run but not as written.
 */
final class RolloutLint {
  private RolloutLint() {}

  static List<String> problems(RolloutSpec spec) {
    CanaryStrategy c = spec.strategy() == null ? null : spec.strategy().plan();
    if (c == null) return List.of();
    List<String> out =
        new ArrayList<>(
            MetricChecks.problems(
                "spec.strategy.canary.backgroundAnalysis", c.backgroundAnalysis()));
    if (c.postPromotion() != null)
      out.addAll(
          MetricChecks.problems(
              "spec.strategy.canary.postPromotion.analysis", c.postPromotion().analysis()));
    List<CanaryStep> steps = c.stepsOrEmpty();
    for (int i = 0; i < steps.size(); i++) {
      out.addAll(
          MetricChecks.problems(
              "spec.strategy.canary.steps[" + i + "].analysis", steps.get(i).analysis()));
    }
    return out;
  }

  /**
   * Not refused at admission: an HorizontalPodAutoscaler scales spec.replicas through the scale
   * subresource, and a rule there would refuse its scale-down.
   */
  static List<String> warnings(RolloutSpec spec) {
    CanaryStrategy c = spec.strategy() == null ? null : spec.strategy().plan();
    if (c == null) return List.of();
    List<String> out = new ArrayList<>();
    List<CanaryStep> steps = c.stepsOrEmpty();
    for (int i = 0; i < steps.size(); i++) {
      var scale = steps.get(i).setCanaryScale();
      if (scale != null
          && scale.replicas() != null
          && scale.replicas() > spec.replicasOrDefault()) {
        out.add(
            "spec.strategy.canary.steps["
                + i
                + "].setCanaryScale.replicas: "
                + scale.replicas()
                + " is more than spec.replicas ("
                + spec.replicasOrDefault()
                + "): the canary would run more pods than the whole Rollout");
      }
    }
    return out;
  }
}
