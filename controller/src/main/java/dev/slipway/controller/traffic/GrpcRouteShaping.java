package dev.slipway.controller.traffic;

import dev.slipway.controller.core.RouteShape;
import dev.slipway.controller.core.Segments;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GRPCBackendRef;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GRPCHeaderMatch;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GRPCMethodMatch;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GRPCRouteMatch;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GRPCRouteRule;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The segment rules Slipway adds to a GRPCRoute, read back and written, on the terms of {@link
 * RouteShaping}: a managed rule's copy named {@code slipway-<rollout>-segment-N}, the segment's
 * header matches appended to each of its matches, the canary Service its only backend. A method
 * segment also sets each match's method to that one method, exactly; a source match that can never
 * carry that method (another service or method, or a regular expression) is left out, so the
 * segment takes no call its source rule would not have taken. Gateway API ranks an exact method
 * above none and more header matches above fewer, so the segment wins for its calls and changes
 * nothing for the rest. GRPCRoutes take no mirror.
 */
final class GrpcRouteShaping {
  private GrpcRouteShaping() {}

  /** The shape every managed rule carries, or null when they differ or a segment rule is stale. */
  static RouteShape observe(
      List<GRPCRouteRule> rules, List<GrpcBackends.Pair> pairs, String prefix) {
    RouteShape common = null;
    for (int k = 0; k < pairs.size(); k++) {
      GrpcBackends.Pair p = pairs.get(k);
      GRPCRouteRule segment = RouteShaping.named(rules, prefix + k, GRPCRouteRule::getName);
      RouteShape shape = segment == null ? RouteShape.NONE : decode(p, segment, prefix + k);
      if (shape == null || (common != null && !common.equals(shape))) {
        return null;
      }
      common = shape;
    }
    return RouteShaping.ownedAsExpected(
        rules, GRPCRouteRule::getName, prefix, common, pairs.size());
  }

  /**
   * Why this shape cannot be written to these rules, or null: a mirror, or a method segment no
   * managed rule could carry, or one its rule already narrows to (it would add nothing, and read
   * back as a header segment).
   */
  static String problem(List<GrpcBackends.Pair> pairs, RouteShape shape) {
    if (shape.mirrorPercent() != 0) {
      return "GRPCRoutes take no mirror: setMirrorRoute is for HTTPRoutes";
    }
    if (shape.method() == null) {
      return null;
    }
    for (GrpcBackends.Pair p : pairs) {
      String rule = p.rule().getName() == null ? "a managed rule" : "rule " + p.rule().getName();
      if (segmentRule(p, shape, "x") == null) {
        return rule + " never carries method " + shape.method() + ": no match of it can";
      }
      if (narrowedTo(p.rule(), shape.method())) {
        return rule
            + " matches only method "
            + shape.method()
            + " already: a method segment adds nothing there (segment on a header)";
      }
    }
    return null;
  }

  /** Puts {@code shape} into {@code rules} (in place); true when anything changed. */
  static boolean reshape(
      List<GRPCRouteRule> rules, List<GrpcBackends.Pair> pairs, RouteShape shape, String prefix) {
    String before = Serialization.asJson(rules);
    rules.removeIf(r -> r.getName() != null && r.getName().startsWith(prefix));
    if (shape.hasSegment()) {
      for (int k = 0; k < pairs.size(); k++) {
        GRPCRouteRule rule = segmentRule(pairs.get(k), shape, prefix + k);
        if (rule == null) {
          throw new IllegalArgumentException("unwritable segment; check problem() first");
        }
        rules.add(RouteShaping.indexOf(rules, pairs.get(k).rule()), rule);
      }
    }
    return !before.equals(Serialization.asJson(rules));
  }

  /** The segment rule for this pair, or null when no match of its source can carry the method. */
  static GRPCRouteRule segmentRule(GrpcBackends.Pair pair, RouteShape shape, String name) {
    GRPCRouteRule rule = Serialization.clone(pair.rule());
    rule.setName(name);
    List<GRPCRouteMatch> matches = new ArrayList<>();
    List<GRPCRouteMatch> source =
        rule.getMatches() == null || rule.getMatches().isEmpty()
            ? List.of(new GRPCRouteMatch())
            : rule.getMatches();
    for (GRPCRouteMatch m : source) {
      if (shape.method() != null) {
        if (!carries(m.getMethod(), shape.method())) {
          continue;
        }
        GRPCMethodMatch exact = new GRPCMethodMatch();
        exact.setType("Exact");
        exact.setService(shape.method().service());
        exact.setMethod(shape.method().method());
        m.setMethod(exact);
      }
      List<GRPCHeaderMatch> hs =
          m.getHeaders() == null ? new ArrayList<>() : new ArrayList<>(m.getHeaders());
      for (Segments.HeaderMatch h : shape.segment()) {
        GRPCHeaderMatch g = new GRPCHeaderMatch();
        g.setName(h.name());
        g.setType(h.type());
        g.setValue(h.value());
        hs.add(g);
      }
      m.setHeaders(hs.isEmpty() ? null : hs);
      matches.add(m);
    }
    if (matches.isEmpty()) {
      return null;
    }
    rule.setMatches(matches);
    GRPCBackendRef only = Serialization.clone(pair.canary());
    only.setWeight(1);
    rule.setBackendRefs(new ArrayList<>(List.of(only)));
    return rule;
  }

  /** Whether every match of the rule already names exactly this method. */
  private static boolean narrowedTo(GRPCRouteRule rule, Segments.GrpcMethod want) {
    return rule.getMatches() != null
        && !rule.getMatches().isEmpty()
        && rule.getMatches().stream()
            .allMatch(
                m ->
                    m.getMethod() != null
                        && want.service().equals(m.getMethod().getService())
                        && want.method().equals(m.getMethod().getMethod())
                        && carries(m.getMethod(), want));
  }

  /** Whether a match's method (null: any) can be this exact method. */
  private static boolean carries(GRPCMethodMatch m, Segments.GrpcMethod want) {
    if (m == null) return true;
    if (m.getType() != null && !"Exact".equals(m.getType())) return false;
    return (m.getService() == null || m.getService().equals(want.service()))
        && (m.getMethod() == null || m.getMethod().equals(want.method()));
  }

  /**
   * The shape that makes exactly this segment rule from its source, or null when none does (an
   * edited rule: it is rewritten). A header segment first: a method the source already narrows to
   * reads as one, and {@link #problem} refuses writing it as a method segment.
   */
  private static RouteShape decode(GrpcBackends.Pair pair, GRPCRouteRule segment, String name) {
    if (segment.getMatches() == null || segment.getMatches().isEmpty()) {
      return null;
    }
    GRPCRouteMatch first = segment.getMatches().get(0);
    List<Segments.GrpcMethod> methods = new ArrayList<>();
    methods.add(null);
    GRPCMethodMatch m = first.getMethod();
    if (m != null && m.getService() != null && m.getMethod() != null) {
      methods.add(new Segments.GrpcMethod(m.getService(), m.getMethod()));
    }
    List<GRPCHeaderMatch> theirs = first.getHeaders() == null ? List.of() : first.getHeaders();
    for (Segments.GrpcMethod method : methods) {
      int base = sourceHeaders(pair.rule(), method);
      if (base < 0 || theirs.size() < base) continue;
      List<Segments.HeaderMatch> headers = new ArrayList<>();
      for (GRPCHeaderMatch h : theirs.subList(base, theirs.size())) {
        headers.add(
            new Segments.HeaderMatch(
                h.getName(), h.getType() == null ? "Exact" : h.getType(), h.getValue()));
      }
      RouteShape shape = new RouteShape(headers, method, 0);
      if (!shape.hasSegment()) continue;
      GRPCRouteRule expected = segmentRule(pair, shape, name);
      if (expected != null && same(segment, expected)) {
        return shape;
      }
    }
    return null;
  }

  /** Header matches on the first source match the method keeps; -1 when it keeps none. */
  private static int sourceHeaders(GRPCRouteRule source, Segments.GrpcMethod method) {
    if (source.getMatches() == null || source.getMatches().isEmpty()) return 0;
    for (GRPCRouteMatch m : source.getMatches()) {
      if (method == null || carries(m.getMethod(), method)) {
        return m.getHeaders() == null ? 0 : m.getHeaders().size();
      }
    }
    return -1;
  }

  private static boolean same(GRPCRouteRule a, GRPCRouteRule b) {
    return Objects.equals(Serialization.asJson(a), Serialization.asJson(b));
  }
}
