package dev.slipway.controller.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.api.v1alpha1.CanaryStep;
import dev.slipway.api.v1alpha1.CanaryStrategy;
import dev.slipway.api.v1alpha1.GatewayApiRouting;
import dev.slipway.api.v1alpha1.GrpcRouteRef;
import dev.slipway.api.v1alpha1.RevisionState;
import dev.slipway.api.v1alpha1.RolloutSpec;
import dev.slipway.api.v1alpha1.RolloutStatus;
import dev.slipway.api.v1alpha1.SegmentMatch;
import dev.slipway.api.v1alpha1.Strategy;
import dev.slipway.api.v1alpha1.TrafficRouting;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GRPCBackendRef;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GRPCRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GRPCRouteBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GRPCRouteMatch;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GRPCRouteRule;
import java.util.ArrayList;
import java.util.List;

/**
 * A Rollout that routes a gRPC service: its GRPCRoute's weights walk the steps as an HTTPRoute's
 * do, trusted only once the gateway accepted each generation; a method segment (one method, and a
 * header) sends that method's calls to the canary through a rule Slipway adds before the one it
 * weights and removes at promotion; the route's other rule and backend stay as their owner wrote
 * them. Written once, run on the mock and a real API server.
 */
public final class GrpcRouteScenario {
  static final String ROUTE = "demo-grpc";

  private GrpcRouteScenario() {}

  public static void weightsWalkTheSteps(ClusterFixture f) {
    f.createServicesAndRoute();
    f.client.resource(route(f.ns)).create();
    f.grpcRoutes = List.of(ROUTE);
    RolloutSpec http =
        ClusterFixture.spec(
            "demo:1",
            CanaryStep.headerRoute(
                SegmentMatch.grpcMethod("shop.Cart", "Checkout"),
                SegmentMatch.header("x-beta", "on")),
            CanaryStep.weight(30),
            CanaryStep.pause(null));
    CanaryStrategy c = http.strategy().canary();
    RolloutSpec spec =
        new RolloutSpec(
            http.replicas(),
            http.selector(),
            http.template(),
            http.revisionHistoryLimit(),
            http.progressDeadlineSeconds(),
            http.paused(),
            new Strategy(
                new CanaryStrategy(
                    c.stableService(),
                    c.canaryService(),
                    new TrafficRouting(
                        new GatewayApiRouting(
                            null, null, null, List.of(new GrpcRouteRef(ROUTE, List.of("main"))))),
                    null,
                    null,
                    "0s",
                    c.steps())),
            null,
            null);
    f.client.resource(ClusterFixture.withName(spec, "demo", f.ns)).create();
    List<String> trace = new ArrayList<>();
    RolloutStatus s =
        ReconcilerScenarios.passUntil(
            f, 20, st -> st != null && st.state() == RevisionState.Stable, trace);
    assertEquals(List.of(100, 0), weights(f), "the first revision takes all: " + trace);

    f.setImage("demo:2");
    s = ReconcilerScenarios.passUntil(f, 20, st -> st.state() == RevisionState.Paused, trace);
    assertEquals(Integer.valueOf(30), s.verifiedWeight(), String.valueOf(trace));
    assertEquals(List.of(70, 30), weights(f), "the GRPCRoute carries the step's weight");
    GRPCRoute route = get(f);
    GRPCRouteRule segment = route.getSpec().getRules().get(0);
    assertEquals("slipway-demo-segment-0", segment.getName(), "the segment rule comes first");
    GRPCRouteMatch m = segment.getMatches().get(0);
    assertEquals("Exact", m.getMethod().getType());
    assertEquals(
        "shop.Cart/Checkout", m.getMethod().getService() + "/" + m.getMethod().getMethod());
    assertEquals("x-beta", m.getHeaders().get(0).getName());
    assertEquals("on", m.getHeaders().get(0).getValue());
    assertEquals(1, segment.getBackendRefs().size(), "the segment's calls go to the canary only");
    assertEquals("demo-canary", segment.getBackendRefs().get(0).getName());
    assertEquals("main", route.getSpec().getRules().get(1).getName());
    assertEquals(
        "other-backend",
        route.getSpec().getRules().get(2).getBackendRefs().get(0).getName(),
        "the rule Slipway was not asked to weight is left as it was");
    assertEquals(
        Integer.valueOf(7), route.getSpec().getRules().get(2).getBackendRefs().get(0).getWeight());

    f.request("PromoteFull");
    s = ReconcilerScenarios.passUntil(f, 20, st -> st.state() == RevisionState.Stable, trace);
    assertEquals(List.of(100, 0), weights(f), "promoted: all on stable, which is the new revision");
    assertEquals(
        List.of("main", "admin"),
        get(f).getSpec().getRules().stream().map(GRPCRouteRule::getName).toList(),
        "promotion removed the segment rule");
    assertTrue(s.stableRevision() != null && s.canaryRevision() == null, String.valueOf(s));
  }

  static GRPCRoute get(ClusterFixture f) {
    return f.client.resources(GRPCRoute.class).inNamespace(f.ns).withName(ROUTE).get();
  }

  /** [stable, canary] weights of rule "main". */
  static List<Integer> weights(ClusterFixture f) {
    int stable = 0;
    int canary = 0;
    GRPCRouteRule main =
        get(f).getSpec().getRules().stream()
            .filter(r -> "main".equals(r.getName()))
            .findFirst()
            .orElseThrow();
    for (GRPCBackendRef b : main.getBackendRefs()) {
      int w = b.getWeight() == null ? 1 : b.getWeight();
      if (b.getName().equals("demo-stable")) stable = w;
      if (b.getName().equals("demo-canary")) canary = w;
    }
    return List.of(stable, canary);
  }

  static GRPCRoute route(String ns) {
    return new GRPCRouteBuilder()
        .withNewMetadata()
        .withName(ROUTE)
        .withNamespace(ns)
        .endMetadata()
        .withNewSpec()
        .addNewParentRef()
        .withName("gw")
        .endParentRef()
        .addNewRule()
        .withName("main")
        .addNewBackendRef()
        .withName("demo-stable")
        .withPort(80)
        .withWeight(100)
        .endBackendRef()
        .addNewBackendRef()
        .withName("demo-canary")
        .withPort(80)
        .withWeight(0)
        .endBackendRef()
        .endRule()
        .addNewRule()
        .withName("admin")
        .addNewMatch()
        .withNewMethod()
        .withService("shop.Admin")
        .endMethod()
        .endMatch()
        .addNewBackendRef()
        .withName("other-backend")
        .withPort(80)
        .withWeight(7)
        .endBackendRef()
        .endRule()
        .endSpec()
        .build();
  }
}
