package dev.slipway.controller.traffic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.api.v1alpha1.CanaryStrategy;
import dev.slipway.api.v1alpha1.HttpRouteRef;
import dev.slipway.controller.core.RouteShape;
import dev.slipway.controller.core.Segments;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteRule;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Segment rules and mirror filters go in and come out of a route without touching anything else.
 */
class RouteShapingTest {
  static final String ROUTE =
      """
      apiVersion: gateway.networking.k8s.io/v1
      kind: HTTPRoute
      metadata: {name: shop, namespace: default}
      spec:
        parentRefs: [{name: gw}]
        rules:
        - name: admin
          matches: [{path: {type: PathPrefix, value: /admin}}]
          backendRefs: [{name: admin, port: 80}]
        - name: main
          matches:
          - path: {type: PathPrefix, value: /}
            headers: [{name: X-Tenant, type: Exact, value: acme}]
          - path: {type: Exact, value: /healthz}
          filters:
          - type: RequestHeaderModifier
            requestHeaderModifier: {add: [{name: X-Via, value: gw}]}
          backendRefs:
          - {group: "", kind: Service, name: shop-stable, port: 8080, weight: 80}
          - {group: "", kind: Service, name: shop-canary, port: 8080, weight: 20}
      """;
  static final CanaryStrategy CANARY =
      new CanaryStrategy("shop-stable", "shop-canary", null, null, null, null, List.of());
  static final RouteShape SEGMENT_AND_MIRROR =
      new RouteShape(List.of(new Segments.HeaderMatch("X-Canary", "Exact", "yes")), 25);

  @Test
  void aSegmentRuleIsTheManagedRuleWithTheSegmentsHeadersAndOnlyTheCanary() {
    HTTPRoute route = Serialization.unmarshal(ROUTE, HTTPRoute.class);
    String original = Serialization.asJson(route.getSpec().getRules());
    List<ManagedBackends.Pair> pairs =
        ManagedBackends.pairs(route, new HttpRouteRef("shop", null), CANARY, "default");
    String prefix = RouteShaping.segmentPrefix("shop");
    assertEquals(
        RouteShape.NONE,
        RouteShaping.observe(route.getSpec().getRules(), pairs, prefix, "shop-canary"));

    assertTrue(
        RouteShaping.reshape(
            route.getSpec().getRules(), pairs, SEGMENT_AND_MIRROR, prefix, "shop-canary"));
    List<HTTPRouteRule> rules = route.getSpec().getRules();
    assertEquals(
        List.of("admin", "slipway-shop-segment-0", "main"),
        rules.stream().map(HTTPRouteRule::getName).toList());
    String yaml = Serialization.asYaml(rules.get(1));
    assertEquals(
        """
        ---
        backendRefs:
        - kind: "Service"
          group: ""
          name: "shop-canary"
          port: 8080
          weight: 1
        filters:
        - requestHeaderModifier:
            add:
            - name: "X-Via"
              value: "gw"
          type: "RequestHeaderModifier"
        matches:
        - headers:
          - name: "X-Tenant"
            type: "Exact"
            value: "acme"
          - name: "X-Canary"
            type: "Exact"
            value: "yes"
          path:
            type: "PathPrefix"
            value: "/"
        - headers:
          - name: "X-Canary"
            type: "Exact"
            value: "yes"
          path:
            type: "Exact"
            value: "/healthz"
        name: "slipway-shop-segment-0"
        """,
        yaml,
        "the source's filters and matches, the segment's headers added, our mirror left out");
    assertEquals("RequestMirror", rules.get(2).getFilters().get(1).getType());
    assertEquals(25, rules.get(2).getFilters().get(1).getRequestMirror().getPercent());
    assertEquals(
        "shop-canary",
        rules.get(2).getFilters().get(1).getRequestMirror().getBackendRef().getName());
    assertEquals(
        8080, rules.get(2).getFilters().get(1).getRequestMirror().getBackendRef().getPort());

    List<ManagedBackends.Pair> again =
        ManagedBackends.pairs(route, new HttpRouteRef("shop", null), CANARY, "default");
    assertEquals(SEGMENT_AND_MIRROR, RouteShaping.observe(rules, again, prefix, "shop-canary"));
    assertFalse(
        RouteShaping.reshape(rules, again, SEGMENT_AND_MIRROR, prefix, "shop-canary"),
        "idempotent");

    assertTrue(RouteShaping.reshape(rules, again, RouteShape.NONE, prefix, "shop-canary"));
    assertEquals(
        original,
        Serialization.asJson(rules),
        "removing the shape gives back the route byte for byte");
  }

  @Test
  void anEditedSourceOrAStraySegmentRuleIsNotTrusted() {
    HTTPRoute route = Serialization.unmarshal(ROUTE, HTTPRoute.class);
    String prefix = RouteShaping.segmentPrefix("shop");
    List<ManagedBackends.Pair> pairs =
        ManagedBackends.pairs(route, new HttpRouteRef("shop", null), CANARY, "default");
    RouteShaping.reshape(
        route.getSpec().getRules(), pairs, SEGMENT_AND_MIRROR, prefix, "shop-canary");
    pairs = ManagedBackends.pairs(route, new HttpRouteRef("shop", null), CANARY, "default");
    // Someone changes the managed rule's path: the segment rule no longer follows it.
    pairs.get(0).rule().getMatches().get(1).getPath().setValue("/ready");
    assertNull(RouteShaping.observe(route.getSpec().getRules(), pairs, prefix, "shop-canary"));
    assertTrue(
        RouteShaping.reshape(
            route.getSpec().getRules(), pairs, SEGMENT_AND_MIRROR, prefix, "shop-canary"),
        "rebuilt from the source");
    assertEquals(
        "/ready", route.getSpec().getRules().get(1).getMatches().get(1).getPath().getValue());
    assertEquals(
        SEGMENT_AND_MIRROR,
        RouteShaping.observe(route.getSpec().getRules(), pairs, prefix, "shop-canary"));
  }

  @Test
  void longRolloutNamesStillGiveValidRuleNames() {
    String name = "a".repeat(250) + ".b";
    String prefix = RouteShaping.segmentPrefix(name);
    assertTrue((prefix + "15").length() <= 253, prefix);
    assertTrue((prefix + "15").matches("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$"));
    assertEquals("slipway-web-v2-segment-", RouteShaping.segmentPrefix("web.v2"));
  }
}
