package dev.slipway.controller.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.api.v1alpha1.Rollout;
import dev.slipway.api.v1alpha1.RolloutStatus;
import dev.slipway.api.v1alpha1.StepPlan;
import dev.slipway.controller.testing.TestRollouts;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * `kubectl slipway get` shows the power plan: what each sequential analysis can see, and which step
 * falls short.
 */
class RolloutViewTest {
  @Test
  void thePowerPlanIsShownStepByStep() {
    Rollout r = TestRollouts.withName(TestRollouts.spec(2, "app:1"), "demo", "shop");
    RolloutStatus.Builder b = RolloutStatus.empty().toBuilder();
    b.analysisPlan =
        List.of(
            new StepPlan(
                1,
                "regression",
                20,
                40.0,
                0.0031,
                0.12,
                true,
                "step 2 at weight 20%: 40 req/s to the canary for 5 min: errors: detects +0.31 pp (asked +0.5 pp)"),
            new StepPlan(
                3,
                "regression",
                5,
                1.0,
                0.052,
                null,
                false,
                "step 4 at weight 5%: 1 req/s to the canary for 5 min: errors: detects +5.2 pp (asked +0.5 pp; extend the step or raise the weight)"));
    r.setStatus(b.build());
    String out = RolloutView.render(r, Map.of(), 200);
    System.out.print(out);
    assertTrue(
        out.contains(
            "Power plan (what each sequential analysis can detect, from the stable's traffic):"),
        out);
    assertTrue(out.contains("  ok    regression: step 2 at weight 20%"), out);
    assertTrue(out.contains("  SHORT regression: step 4 at weight 5%"), out);
  }
}
