package dev.slipway.controller.traffic;

import dev.slipway.controller.core.RouteShape;
import dev.slipway.controller.core.Segments;
import dev.slipway.controller.kube.Sha256;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.BackendObjectReference;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPBackendRef;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPHeaderMatch;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPPathMatch;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRequestMirrorFilter;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteFilter;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteMatch;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteRule;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The segment rules and mirror filters Slipway adds to a route, read back and written.
 *
 * <p>A segment rule is the managed rule it was made from, renamed {@code
 * slipway-<rollout>-segment-N}, with the segment's header matches appended to each of its matches
 * and the canary Service as its only backend. Gateway API ranks a match with more header matches
 * above one with fewer, so the segment wins over its source for matching requests and changes
 * nothing for the rest. Rebuilding from the source on every write means a rule someone edited is
 * followed, never frozen.
 */
final class RouteShaping {
  static final String MIRROR = "RequestMirror";
  private static final int MAX_NAME = 253;

  private RouteShaping() {}

  /**
   * The name prefix of this Rollout's segment rules; rule names are DNS labels of at most 253
   * characters.
   */
  static String segmentPrefix(String rollout) {
    String base = "slipway-" + rollout.replace('.', '-') + "-segment-";
    if (base.length() <= MAX_NAME - 4) {
      return base;
    }
    return base.substring(0, MAX_NAME - 30) + "-" + shortHash(rollout) + "-";
  }

  /** The shape every managed rule carries, or null when they differ or a segment rule is stale. */
  static RouteShape observe(
      List<HTTPRouteRule> rules,
      List<ManagedBackends.Pair> pairs,
      String prefix,
      String canaryService) {
    RouteShape common = null;
    for (int k = 0; k < pairs.size(); k++) {
      HTTPRouteRule source = pairs.get(k).rule();
      HTTPRouteRule segment = named(rules, prefix + k, HTTPRouteRule::getName);
      List<Segments.HeaderMatch> headers = segment == null ? List.of() : decode(source, segment);
      if (headers == null
          || (segment != null
              && !same(
                  segment,
                  segmentRule(
                      source, pairs.get(k).canary(), headers, prefix + k, canaryService)))) {
        return null;
      }
      RouteShape shape = new RouteShape(headers, mirrorPercent(source, canaryService));
      if (common != null && !common.equals(shape)) {
        return null;
      }
      common = shape;
    }
    return ownedAsExpected(rules, HTTPRouteRule::getName, prefix, common, pairs.size());
  }

  /**
   * The shape every managed rule agreed on, when the route holds exactly one segment rule of ours
   * per managed rule (none without a segment); null when one is missing or a stray is left.
   */
  static <R> RouteShape ownedAsExpected(
      List<R> rules, Function<R, String> nameOf, String prefix, RouteShape common, int managed) {
    long owned = rules.stream().map(nameOf).filter(n -> n != null && n.startsWith(prefix)).count();
    long expected = common == null || !common.hasSegment() ? 0 : managed;
    return owned == expected ? common : null;
  }

  /** Puts {@code shape} into {@code rules} (in place); true when anything changed. */
  static boolean reshape(
      List<HTTPRouteRule> rules,
      List<ManagedBackends.Pair> pairs,
      RouteShape shape,
      String prefix,
      String canaryService) {
    String before = Serialization.asJson(rules);
    for (ManagedBackends.Pair p : pairs) {
      setMirror(p.rule(), p.canary(), shape.mirrorPercent(), canaryService);
    }
    rules.removeIf(r -> r.getName() != null && r.getName().startsWith(prefix));
    if (!shape.segment().isEmpty()) {
      for (int k = 0; k < pairs.size(); k++) {
        HTTPRouteRule source = pairs.get(k).rule();
        rules.add(
            indexOf(rules, source),
            segmentRule(source, pairs.get(k).canary(), shape.segment(), prefix + k, canaryService));
      }
    }
    return !before.equals(Serialization.asJson(rules));
  }

  static HTTPRouteRule segmentRule(
      HTTPRouteRule source,
      HTTPBackendRef canary,
      List<Segments.HeaderMatch> headers,
      String name,
      String canaryService) {
    HTTPRouteRule rule = Serialization.clone(source);
    rule.setName(name);
    List<HTTPRouteMatch> matches =
        rule.getMatches() == null || rule.getMatches().isEmpty()
            ? new ArrayList<>(List.of(defaultMatch()))
            : rule.getMatches();
    for (HTTPRouteMatch m : matches) {
      List<HTTPHeaderMatch> hs =
          m.getHeaders() == null ? new ArrayList<>() : new ArrayList<>(m.getHeaders());
      for (Segments.HeaderMatch h : headers) {
        hs.add(new HTTPHeaderMatch(h.name(), h.type(), h.value()));
      }
      m.setHeaders(hs);
    }
    rule.setMatches(matches);
    if (rule.getFilters() != null) {
      rule.getFilters().removeIf(f -> ours(f, canaryService));
      if (rule.getFilters().isEmpty()) {
        rule.setFilters(null);
      }
    }
    HTTPBackendRef only = Serialization.clone(canary);
    only.setWeight(1);
    rule.setBackendRefs(new ArrayList<>(List.of(only)));
    return rule;
  }

  /**
   * The headers a segment rule adds to its source's first match; null when it is not such a rule.
   */
  private static List<Segments.HeaderMatch> decode(HTTPRouteRule source, HTTPRouteRule segment) {
    if (segment.getMatches() == null || segment.getMatches().isEmpty()) {
      return null;
    }
    List<HTTPHeaderMatch> theirs =
        segment.getMatches().get(0).getHeaders() == null
            ? List.of()
            : segment.getMatches().get(0).getHeaders();
    int base =
        source.getMatches() == null
                || source.getMatches().isEmpty()
                || source.getMatches().get(0).getHeaders() == null
            ? 0
            : source.getMatches().get(0).getHeaders().size();
    if (theirs.size() <= base) {
      return null;
    }
    List<Segments.HeaderMatch> out = new ArrayList<>();
    for (HTTPHeaderMatch h : theirs.subList(base, theirs.size())) {
      out.add(
          new Segments.HeaderMatch(
              h.getName(), h.getType() == null ? "Exact" : h.getType(), h.getValue()));
    }
    return out;
  }

  static int mirrorPercent(HTTPRouteRule rule, String canaryService) {
    if (rule.getFilters() == null) {
      return 0;
    }
    for (HTTPRouteFilter f : rule.getFilters()) {
      if (ours(f, canaryService)) {
        HTTPRequestMirrorFilter m = f.getRequestMirror();
        if (m.getPercent() != null) return m.getPercent();
        if (m.getFraction() != null && m.getFraction().getNumerator() != null) {
          int den =
              m.getFraction().getDenominator() == null ? 100 : m.getFraction().getDenominator();
          return den == 0 ? 0 : Math.round(100f * m.getFraction().getNumerator() / den);
        }
        return 100;
      }
    }
    return 0;
  }

  private static void setMirror(
      HTTPRouteRule rule, HTTPBackendRef canary, int percent, String canaryService) {
    if (mirrorPercent(rule, canaryService) == percent
        && (percent == 0 || ourMirrors(rule, canaryService) == 1)) {
      return;
    }
    List<HTTPRouteFilter> filters =
        rule.getFilters() == null ? new ArrayList<>() : new ArrayList<>(rule.getFilters());
    filters.removeIf(f -> ours(f, canaryService));
    if (percent > 0) {
      BackendObjectReference to =
          new BackendObjectReference(
              canary.getGroup(),
              canary.getKind(),
              canary.getName(),
              canary.getNamespace(),
              canary.getPort());
      HTTPRouteFilter f = new HTTPRouteFilter();
      f.setType(MIRROR);
      // All requests is the Core mirror; a share needs the percent field (GEP-3171).
      f.setRequestMirror(new HTTPRequestMirrorFilter(to, null, percent == 100 ? null : percent));
      filters.add(f);
    }
    rule.setFilters(filters.isEmpty() ? null : filters);
  }

  private static long ourMirrors(HTTPRouteRule rule, String canaryService) {
    return rule.getFilters() == null
        ? 0
        : rule.getFilters().stream().filter(f -> ours(f, canaryService)).count();
  }

  /** A mirror to the canary Service is ours: no one else has reason to mirror to it. */
  private static boolean ours(HTTPRouteFilter f, String canaryService) {
    return MIRROR.equals(f.getType())
        && f.getRequestMirror() != null
        && f.getRequestMirror().getBackendRef() != null
        && canaryService.equals(f.getRequestMirror().getBackendRef().getName())
        && (f.getRequestMirror().getBackendRef().getKind() == null
            || "Service".equals(f.getRequestMirror().getBackendRef().getKind()));
  }

  private static HTTPRouteMatch defaultMatch() {
    HTTPRouteMatch m = new HTTPRouteMatch();
    m.setPath(new HTTPPathMatch("PathPrefix", "/"));
    return m;
  }

  /** By identity: two rules may well be equal. Either kind of route's rules. */
  @SuppressWarnings("ReferenceEquality") // identity is the point: equal rules are different rules
  static <R> int indexOf(List<R> rules, R rule) {
    for (int i = 0; i < rules.size(); i++) {
      if (rules.get(i) == rule) return i;
    }
    throw new IllegalStateException("managed rule not in the route");
  }

  /** The rule of this name, or null; either kind of route's rules. */
  static <R> R named(List<R> rules, String name, Function<R, String> nameOf) {
    return rules.stream().filter(r -> name.equals(nameOf.apply(r))).findFirst().orElse(null);
  }

  private static boolean same(HTTPRouteRule a, HTTPRouteRule b) {
    return Serialization.asJson(a).equals(Serialization.asJson(b));
  }

  private static String shortHash(String s) {
    return Sha256.shortHex(s, 10);
  }
}
