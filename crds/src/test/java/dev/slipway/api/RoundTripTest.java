package dev.slipway.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.slipway.api.v1alpha1.AnalysisStep;
import dev.slipway.api.v1alpha1.BlueGreenStrategy;
import dev.slipway.api.v1alpha1.CanaryStep;
import dev.slipway.api.v1alpha1.CanaryStrategy;
import dev.slipway.api.v1alpha1.PostPromotion;
import dev.slipway.api.v1alpha1.Rollout;
import dev.slipway.api.v1alpha1.RolloutSpec;
import dev.slipway.api.v1alpha1.SegmentMatch;
import dev.slipway.api.v1alpha1.Strategy;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What the model writes it reads back, field for field: a helper method that Jackson took for a
 * property (a boolean is-getter named like a field) once broke every read of a Rollout.
 */
class RoundTripTest {
  static Rollout rollout(Strategy strategy) {
    Rollout r = new Rollout();
    r.getMetadata().setName("demo");
    r.setSpec(
        new RolloutSpec(
            3,
            new LabelSelectorBuilder().addToMatchLabels("app", "demo").build(),
            new PodTemplateSpecBuilder()
                .withNewMetadata()
                .addToLabels("app", "demo")
                .endMetadata()
                .build(),
            null,
            null,
            null,
            strategy));
    return r;
  }

  @Test
  void everyStrategyAndStepSurvivesJson() {
    Strategy canary =
        new Strategy(
            new CanaryStrategy(
                "s",
                "c",
                null,
                null,
                null,
                null,
                List.of(
                    CanaryStep.weight(20),
                    CanaryStep.headerRoute(
                        SegmentMatch.header("X-A", "1"), SegmentMatch.cookie("b", "on")),
                    CanaryStep.mirror(10))));
    Strategy blueGreen =
        new Strategy(
            null,
            new BlueGreenStrategy(
                "active",
                "preview",
                null,
                2,
                AnalysisStep.templates("t"),
                "30s",
                new PostPromotion("5m", null, null),
                "0s",
                true));
    for (Strategy s : List.of(canary, blueGreen)) {
      String json = Serialization.asJson(rollout(s));
      assertFalse(json.contains("\"plan\""), json);
      assertEquals(
          rollout(s).getSpec(), Serialization.unmarshal(json, Rollout.class).getSpec(), json);
    }
  }
}
