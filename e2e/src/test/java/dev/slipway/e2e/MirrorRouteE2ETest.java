package dev.slipway.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.slipway.api.v1alpha1.CanaryStep;
import dev.slipway.api.v1alpha1.RevisionState;
import dev.slipway.api.v1alpha1.RolloutStatus;
import dev.slipway.controller.reconcile.ClusterFixture;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteFilter;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteRule;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * Mirroring on and off, as the API server (Gateway API v1.4's CRD and its CEL rules) takes it: the
 * canary's pods sized for the mirrored share, the RequestMirror filter with its percent on the
 * managed rule while the step holds, and gone, with the rest of the route byte for byte, once the
 * mirror's zero step is verified. No gateway available here implements mirroring (Traefik v3.6 does
 * not: TraefikE2ETest shows the step refused there), so the stand-in gateway accepts the route and
 * no mirrored request is shown.
 */
@ResourceLock(Lanes.KWOK_B)
@Order(26)
class MirrorRouteE2ETest {
  static KwokStack stack;
  static ClusterFixture f;

  @BeforeAll
  static void up() {
    stack = new KwokStack(Lanes.KWOK_B);
    f = stack.namespace("e2e-mirror");
    f.createServicesAndRoute();
  }

  @AfterAll
  static void down() {
    if (stack != null) stack.close();
  }

  @Test
  void aMirrorStepPutsItsFilterOnTheManagedRuleAndItsZeroStepTakesItOff() {
    stack
        .cp
        .admin()
        .resource(
            ClusterFixture.withName(
                ClusterFixture.spec(
                    4,
                    "demo:1",
                    CanaryStep.mirror(30),
                    CanaryStep.pause(null),
                    CanaryStep.mirror(0),
                    CanaryStep.pause(null)),
                "demo",
                "e2e-mirror"))
        .create();
    List<String> trace = new ArrayList<>();
    RolloutAwait.status(f, s -> s.state() == RevisionState.Stable, Duration.ofMinutes(2), trace);
    String before = Serialization.asJson(f.route().getSpec().getRules());
    f.newImage("demo:2");
    RolloutStatus on =
        RolloutAwait.status(
            f,
            s ->
                s.state() == RevisionState.Paused
                    && Integer.valueOf(1).equals(s.currentStepIndex()),
            Duration.ofMinutes(2),
            trace);
    HTTPRouteFilter mirror = mirrorOf(f.route().getSpec().getRules());
    System.out.println(
        "mirror on: "
            + Serialization.asJson(mirror)
            + "; status.mirrorPercent "
            + on.mirrorPercent()
            + "; canary pods "
            + stack
                .cp
                .admin()
                .apps()
                .replicaSets()
                .inNamespace("e2e-mirror")
                .withName("demo-" + on.canaryRevision())
                .get()
                .getSpec()
                .getReplicas());
    assertEquals(30, mirror.getRequestMirror().getPercent());
    assertEquals("demo-canary", mirror.getRequestMirror().getBackendRef().getName());
    assertEquals(30, on.mirrorPercent());
    assertEquals(
        2,
        stack
            .cp
            .admin()
            .apps()
            .replicaSets()
            .inNamespace("e2e-mirror")
            .withName("demo-" + on.canaryRevision())
            .get()
            .getSpec()
            .getReplicas(),
        "30% of 4 pods, rounded up, for the mirrored share");

    f.request("Resume");
    RolloutStatus off =
        RolloutAwait.status(
            f,
            s ->
                s.state() == RevisionState.Paused
                    && Integer.valueOf(3).equals(s.currentStepIndex()),
            Duration.ofMinutes(2),
            trace);
    assertNull(mirrorOf(f.route().getSpec().getRules()), "the mirror's zero step took it off");
    assertNull(off.mirrorPercent());
    assertEquals(
        before,
        Serialization.asJson(f.route().getSpec().getRules()),
        "the route's rules are as before the canary");
    System.out.println(
        "mirror off: the route's rules equal those before the canary, byte for byte");
    f.request("PromoteFull");
    RolloutAwait.status(
        f,
        s -> s.state() == RevisionState.Stable && s.canaryRevision() == null,
        Duration.ofMinutes(2),
        trace);
  }

  static HTTPRouteFilter mirrorOf(List<HTTPRouteRule> rules) {
    for (HTTPRouteRule r : rules) {
      if (r.getFilters() == null) continue;
      for (HTTPRouteFilter x : r.getFilters()) {
        if ("RequestMirror".equals(x.getType())) return x;
      }
    }
    return null;
  }
}
