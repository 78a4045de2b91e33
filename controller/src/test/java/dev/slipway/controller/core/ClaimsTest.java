package dev.slipway.controller.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.slipway.api.v1alpha1.CanaryStep;
import dev.slipway.api.v1alpha1.CanaryStrategy;
import dev.slipway.api.v1alpha1.GatewayApiRouting;
import dev.slipway.api.v1alpha1.HttpRouteRef;
import dev.slipway.api.v1alpha1.Rollout;
import dev.slipway.api.v1alpha1.RolloutSpec;
import dev.slipway.api.v1alpha1.Strategy;
import dev.slipway.api.v1alpha1.TrafficRouting;
import dev.slipway.api.v1alpha1.WorkloadRef;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Exclusive ownership of Services, route rules and adopted Deployments: the older claim wins. */
class ClaimsTest {
  static Rollout rollout(
      String name, String created, String services, List<String> rules, String deployment) {
    RolloutSpec base = Fixtures.spec(CanaryStep.weight(10));
    CanaryStrategy c =
        new CanaryStrategy(
            services + "-stable",
            services + "-canary",
            new TrafficRouting(
                new GatewayApiRouting(List.of(new HttpRouteRef("shop", rules)), null, null)),
            null,
            null,
            "0s",
            List.of(CanaryStep.weight(10)));
    Rollout r = new Rollout();
    r.getMetadata().setName(name);
    r.getMetadata().setNamespace("team");
    r.getMetadata().setCreationTimestamp(created);
    r.setSpec(
        new RolloutSpec(
            2,
            base.selector(),
            base.template(),
            null,
            600,
            null,
            new Strategy(c),
            deployment == null ? null : new WorkloadRef(WorkloadRef.Kind.Deployment, deployment)));
    return r;
  }

  @Test
  void aRouteTwoRolloutsNameWithoutRulesIsTheOlderOnes() {
    Rollout older = rollout("a", "2026-01-01T00:00:00Z", "a", null, null);
    Rollout younger = rollout("b", "2026-01-02T00:00:00Z", "b", null, null);
    assertEquals(
        "HTTPRoute team/shop (its rules are not named, so both Rollouts would write the same ones) is managed by Rollout team/a"
            + " (the older claim); this Rollout writes nothing until it lets go",
        Claims.conflict(younger, List.of(older, younger)));
    assertNull(Claims.conflict(older, List.of(older, younger)), "the older one acts");
    Rollout namedApart = rollout("c", "2026-01-03T00:00:00Z", "c", List.of("checkout"), null);
    Rollout namedOther = rollout("d", "2026-01-04T00:00:00Z", "d", List.of("cart"), null);
    assertNull(
        Claims.conflict(namedOther, List.of(namedApart, namedOther)),
        "rules named apart share nothing");
    assertEquals(
        "rule checkout of HTTPRoute team/shop is managed by Rollout team/c (the older claim); this Rollout writes nothing until it lets go",
        Claims.conflict(
            rollout("e", "2026-01-05T00:00:00Z", "e", List.of("checkout"), null),
            List.of(namedApart)));
  }

  @Test
  void aDeploymentTwoRolloutsAdoptIsTheOlderOnes() {
    Rollout older = rollout("a", "2026-01-01T00:00:00Z", "a", List.of("a"), "legacy");
    Rollout younger = rollout("b", "2026-01-02T00:00:00Z", "b", List.of("b"), "legacy");
    assertEquals(
        "Deployment team/legacy is named by Rollout team/a (the older claim); this Rollout writes nothing until it lets go",
        Claims.workloadClaim(younger, List.of(older, younger)));
    assertNull(Claims.workloadClaim(older, List.of(older, younger)));
    assertNull(
        Claims.workloadClaim(
            rollout("c", "2026-01-03T00:00:00Z", "c", List.of("c"), "other"), List.of(older)));
  }
}
