package dev.slipway.controller.traffic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.controller.core.RouteShape;
import dev.slipway.controller.core.Segments;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GRPCBackendRef;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GRPCMethodMatch;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GRPCRouteMatch;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GRPCRouteRule;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** GRPCRoute segment rules, written and read back without a cluster. */
class GrpcRouteShapingTest {
  static final String PREFIX = "slipway-demo-segment-";
  static final Segments.GrpcMethod CHECKOUT = new Segments.GrpcMethod("shop.Cart", "Checkout");
  static final List<Segments.HeaderMatch> BETA =
      List.of(new Segments.HeaderMatch("x-beta", "Exact", "on"));

  static GRPCRouteMatch match(String service, String method) {
    GRPCRouteMatch m = new GRPCRouteMatch();
    if (service != null || method != null) {
      GRPCMethodMatch mm = new GRPCMethodMatch();
      mm.setService(service);
      mm.setMethod(method);
      m.setMethod(mm);
    }
    return m;
  }

  static GRPCBackendRef ref(String name, int weight) {
    GRPCBackendRef r = new GRPCBackendRef();
    r.setName(name);
    r.setPort(80);
    r.setWeight(weight);
    return r;
  }

  /** A route's rules: "main" (weighted, with these matches) and "admin" (someone else's). */
  static List<GRPCRouteRule> rules(GRPCRouteMatch... matches) {
    GRPCRouteRule main = new GRPCRouteRule();
    main.setName("main");
    main.setMatches(matches.length == 0 ? null : new ArrayList<>(List.of(matches)));
    main.setBackendRefs(new ArrayList<>(List.of(ref("demo-stable", 80), ref("demo-canary", 20))));
    GRPCRouteRule admin = new GRPCRouteRule();
    admin.setName("admin");
    admin.setBackendRefs(new ArrayList<>(List.of(ref("other", 1))));
    return new ArrayList<>(List.of(main, admin));
  }

  static List<GrpcBackends.Pair> pairs(List<GRPCRouteRule> rules) {
    GRPCRouteRule main = rules.stream().filter(r -> "main".equals(r.getName())).findFirst().get();
    return List.of(
        new GrpcBackends.Pair(main, main.getBackendRefs().get(0), main.getBackendRefs().get(1)));
  }

  @Test
  void aMethodSegmentIsWrittenBeforeItsSourceAndReadBackAsWritten() {
    List<GRPCRouteRule> rules = rules(match("shop.Cart", null));
    RouteShape shape = new RouteShape(BETA, CHECKOUT, 0);
    assertNull(GrpcRouteShaping.problem(pairs(rules), shape));
    assertTrue(GrpcRouteShaping.reshape(rules, pairs(rules), shape, PREFIX));
    assertEquals(
        List.of(PREFIX + "0", "main", "admin"),
        rules.stream().map(GRPCRouteRule::getName).toList());
    GRPCRouteRule seg = rules.get(0);
    GRPCRouteMatch m = seg.getMatches().get(0);
    assertEquals("Exact", m.getMethod().getType());
    assertEquals("Checkout", m.getMethod().getMethod());
    assertEquals("x-beta", m.getHeaders().get(0).getName());
    assertEquals(
        List.of("demo-canary"), seg.getBackendRefs().stream().map(r -> r.getName()).toList());
    assertEquals(Integer.valueOf(1), seg.getBackendRefs().get(0).getWeight());
    assertEquals(shape, GrpcRouteShaping.observe(rules, pairs(rules), PREFIX));
    assertFalse(
        GrpcRouteShaping.reshape(rules, pairs(rules), shape, PREFIX), "written once, then kept");

    assertTrue(GrpcRouteShaping.reshape(rules, pairs(rules), RouteShape.NONE, PREFIX));
    assertEquals(List.of("main", "admin"), rules.stream().map(GRPCRouteRule::getName).toList());
    assertEquals(RouteShape.NONE, GrpcRouteShaping.observe(rules, pairs(rules), PREFIX));
  }

  /** A source match for another method can never carry the segment's: it is left out. */
  @Test
  void onlyTheSourceMatchesThatCanCarryTheMethodAreKept() {
    List<GRPCRouteRule> rules = rules(match("shop.Admin", null), match(null, null));
    RouteShape shape = new RouteShape(List.of(), CHECKOUT, 0);
    GrpcRouteShaping.reshape(rules, pairs(rules), shape, PREFIX);
    assertEquals(1, rules.get(0).getMatches().size());
    assertEquals("shop.Cart", rules.get(0).getMatches().get(0).getMethod().getService());
    assertEquals(shape, GrpcRouteShaping.observe(rules, pairs(rules), PREFIX));
  }

  @Test
  void aShapeNoRuleCanCarryIsNamedAndNothingIsWritten() {
    assertTrue(
        GrpcRouteShaping.problem(
                pairs(rules(match("shop.Cart", "Pay"))), new RouteShape(List.of(), CHECKOUT, 0))
            .contains("never carries method shop.Cart/Checkout"));
    assertTrue(
        GrpcRouteShaping.problem(
                pairs(rules(match("shop.Cart", "Checkout"))), new RouteShape(BETA, CHECKOUT, 0))
            .contains("adds nothing"));
    assertTrue(
        GrpcRouteShaping.problem(pairs(rules()), new RouteShape(List.of(), 10))
            .contains("take no mirror"));
  }

  /** A header segment on a rule that already names one method reads back as a header segment. */
  @Test
  void aHeaderSegmentOnAOneMethodRuleReadsBackWithoutAMethod() {
    List<GRPCRouteRule> rules = rules(match("shop.Cart", "Checkout"));
    RouteShape shape = new RouteShape(BETA, 0);
    assertNull(GrpcRouteShaping.problem(pairs(rules), shape));
    GrpcRouteShaping.reshape(rules, pairs(rules), shape, PREFIX);
    assertEquals(shape, GrpcRouteShaping.observe(rules, pairs(rules), PREFIX));
  }

  /** Someone edited our rule: it reads as no known shape, so the next write puts it back. */
  @Test
  void anEditedSegmentRuleIsNotTakenForOurs() {
    List<GRPCRouteRule> rules = rules();
    RouteShape shape = new RouteShape(BETA, CHECKOUT, 0);
    GrpcRouteShaping.reshape(rules, pairs(rules), shape, PREFIX);
    rules.get(0).getBackendRefs().add(ref("demo-stable", 1));
    assertNull(GrpcRouteShaping.observe(rules, pairs(rules), PREFIX));
    assertTrue(GrpcRouteShaping.reshape(rules, pairs(rules), shape, PREFIX));
    assertEquals(shape, GrpcRouteShaping.observe(rules, pairs(rules), PREFIX));
  }
}
