package dev.slipway.controller.testing;

import dev.slipway.api.v1alpha1.CanaryStep;
import dev.slipway.api.v1alpha1.CanaryStrategy;
import dev.slipway.api.v1alpha1.GatewayApiRouting;
import dev.slipway.api.v1alpha1.HttpRouteRef;
import dev.slipway.api.v1alpha1.Rollout;
import dev.slipway.api.v1alpha1.RolloutSpec;
import dev.slipway.api.v1alpha1.Strategy;
import dev.slipway.api.v1alpha1.TrafficRouting;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import java.util.List;

/**
 * The Rollouts tests build: app "demo", its stable and canary Services, route "demo" (rule "main").
 * Shared by the controller's and the plugin's tests (the shared module's test-jar).
 */
public final class TestRollouts {
  private TestRollouts() {}

  public static Rollout withName(RolloutSpec spec, String name, String namespace) {
    Rollout r = new Rollout();
    r.getMetadata().setName(name);
    r.getMetadata().setNamespace(namespace);
    r.setSpec(spec);
    return r;
  }

  public static RolloutSpec spec(String image, CanaryStep... steps) {
    return spec(4, image, steps);
  }

  public static RolloutSpec spec(int replicas, String image, CanaryStep... steps) {
    return new RolloutSpec(
        replicas,
        new LabelSelectorBuilder().addToMatchLabels("app", "demo").build(),
        new PodTemplateSpecBuilder()
            .withNewMetadata()
            .addToLabels("app", "demo")
            .endMetadata()
            .withNewSpec()
            .addNewContainer()
            .withName("app")
            .withImage(image)
            .endContainer()
            .endSpec()
            .build(),
        null,
        600,
        null,
        new Strategy(
            new CanaryStrategy(
                "demo-stable",
                "demo-canary",
                new TrafficRouting(
                    new GatewayApiRouting(
                        List.of(new HttpRouteRef("demo", List.of("main"))), null, null)),
                null,
                null,
                "0s",
                List.of(steps))));
  }
}
