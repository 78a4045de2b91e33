package dev.slipway.controller.traffic;

import dev.slipway.api.v1alpha1.CanaryStep;
import dev.slipway.api.v1alpha1.CanaryStrategy;
import dev.slipway.api.v1alpha1.GatewayApiRouting;
import dev.slipway.api.v1alpha1.HttpRouteRef;
import dev.slipway.api.v1alpha1.RevisionState;
import dev.slipway.api.v1alpha1.Rollout;
import dev.slipway.api.v1alpha1.RolloutStatus;
import dev.slipway.api.v1alpha1.RouteStatus;
import dev.slipway.controller.core.RouteShape;
import dev.slipway.controller.core.TrafficView;
import dev.slipway.controller.kube.ClusterReads;
import dev.slipway.controller.kube.FieldOwners;
import dev.slipway.controller.kube.Labels;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPBackendRef;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteRule;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.List;

/**
 * Gateway API HTTPRoute weights, header segments and mirrors.
 *
 * <p>Gateway API declares {@code spec.rules} and {@code backendRefs} as atomic lists, so no writer
 * can own a single weight inside them. We server-side apply the route's current rules with only our
 * weights changed, pinned to the resourceVersion we read: a concurrent edit makes the apply fail
 * and we retry on fresh data, so nothing of anyone else's is ever dropped.
 */
public final class HttpRouteRouter implements TrafficRouter {
  private final KubernetesClient client;
  private final ClusterReads reads;

  public HttpRouteRouter(KubernetesClient client) {
    this(client, ClusterReads.direct(client));
  }

  public HttpRouteRouter(KubernetesClient client, ClusterReads reads) {
    this.client = client;
    this.reads = reads;
  }

  @Override
  public TrafficView observe(Rollout rollout) {
    CanaryStrategy canary = rollout.getSpec().strategy().plan();
    GatewayApiRouting gw = canary.trafficRouting().gatewayAPI();
    List<String> missing = new ArrayList<>();
    List<RouteStatus> present = new ArrayList<>();
    Integer common = null;
    boolean disagree = false;
    boolean accepted = true;
    boolean foreign = false;
    RouteShape shape = null;
    boolean shapesDiffer = false;
    String prefix = RouteShaping.segmentPrefix(rollout.getMetadata().getName());
    String mirrorFeature = mirrorFeature(canary, rollout.getStatus());
    String mirrorUnsupported = null;
    for (HttpRouteRef ref : gw.httpRoutesOrEmpty()) {
      String refused = refusal(rollout, gw, ref.name());
      if (refused != null) {
        missing.add(ref.name() + " (" + refused + ")");
        continue;
      }
      HTTPRoute route = get(rollout, gw, ref.name());
      List<ManagedBackends.Pair> pairs =
          route == null
              ? List.of()
              : ManagedBackends.pairs(route, ref, canary, rollout.getMetadata().getNamespace());
      if (pairs.isEmpty()) {
        missing.add(
            route == null
                ? ref.name()
                : ref.name()
                    + " (no rule has backendRefs to both "
                    + canary.stableService()
                    + " and "
                    + canary.canaryService()
                    + ")");
        continue;
      }
      boolean ok = !gw.requireAcceptanceOrDefault() || acceptedAtCurrentGeneration(route);
      int weight = pairs.get(0).canaryPercent();
      for (ManagedBackends.Pair p : pairs) {
        disagree |= p.canaryPercent() != weight;
      }
      disagree |= common != null && common != weight;
      common = weight;
      accepted &= ok;
      RouteShape seen =
          RouteShaping.observe(route.getSpec().getRules(), pairs, prefix, canary.canaryService());
      shapesDiffer |= seen == null || (shape != null && !shape.equals(seen));
      shape = seen;
      if (mirrorFeature != null && mirrorUnsupported == null) {
        mirrorUnsupported = GatewayFeatures.lacking(client, route, mirrorFeature);
      }
      foreign |= FieldOwners.foreign(route, "f:spec", "f:rules");
      present.add(new RouteStatus(ref.name(), weight, route.getMetadata().getGeneration(), ok));
    }
    return new TrafficView(
        missing,
        disagree ? null : common,
        accepted && !present.isEmpty(),
        present,
        foreign,
        shapesDiffer ? null : shape == null ? RouteShape.NONE : shape,
        mirrorUnsupported);
  }

  @Override
  // Both backends' weights are set whatever the first reports: | not ||.
  @SuppressWarnings("ShortCircuitBoolean")
  public List<String> setWeight(Rollout rollout, int canaryWeight, RouteShape shape) {
    CanaryStrategy canary = rollout.getSpec().strategy().plan();
    GatewayApiRouting gw = canary.trafficRouting().gatewayAPI();
    List<String> problems = new ArrayList<>();
    if (shape.method() != null) {
      // Refused at admission; a spec admitted without CEL gets the reason, and no route changes.
      problems.add("an HTTPRoute has no gRPC method to match: segment on a header instead");
      return problems;
    }
    String prefix = RouteShaping.segmentPrefix(rollout.getMetadata().getName());
    for (HttpRouteRef ref : gw.httpRoutesOrEmpty()) {
      String refused = refusal(rollout, gw, ref.name());
      if (refused != null) {
        problems.add(refused);
        continue;
      }
      HTTPRoute route = get(rollout, gw, ref.name());
      if (route == null) {
        problems.add(ref.name() + ": not found");
        continue;
      }
      List<ManagedBackends.Pair> pairs =
          ManagedBackends.pairs(route, ref, canary, rollout.getMetadata().getNamespace());
      boolean changed = false;
      for (ManagedBackends.Pair p : pairs) {
        changed |= set(p.stable(), 100 - canaryWeight) | set(p.canary(), canaryWeight);
      }
      if (!pairs.isEmpty()) {
        changed |=
            RouteShaping.reshape(
                route.getSpec().getRules(), pairs, shape, prefix, canary.canaryService());
      }
      if (pairs.isEmpty()) {
        problems.add(ref.name() + ": no rule has backendRefs to both Services");
      } else if (changed) {
        apply(route, route.getSpec().getRules());
      }
    }
    return problems;
  }

  /**
   * The Extended feature the mirror steps still ahead of a canary in flight need (a partial mirror
   * needs the percentage feature), or null: the GatewayClass is read only while a mirror step may
   * come, not on every pass of every Rollout that has one.
   */
  static String mirrorFeature(CanaryStrategy canary, RolloutStatus status) {
    if (status == null || status.canaryRevision() == null) {
      // No canary in flight; a new revision's first pass cannot reach a step (its pods are not
      // ready yet).
      return null;
    }
    List<CanaryStep> steps = canary.stepsOrEmpty();
    // Walking: the steps from the current one on. Otherwise (pending, a retry to come) all of them.
    boolean walking =
        status.state() == RevisionState.Canary || status.state() == RevisionState.Paused;
    int from =
        !walking || status.currentStepIndex() == null ? 0 : Math.max(0, status.currentStepIndex());
    boolean partial = false;
    boolean full = false;
    for (CanaryStep s : steps.subList(Math.min(from, steps.size()), steps.size())) {
      Integer p = s.setMirrorRoute() == null ? null : s.setMirrorRoute().percent();
      partial |= p != null && p > 0 && p < 100;
      full |= p != null && p == 100;
    }
    return partial ? GatewayFeatures.PERCENTAGE_MIRROR : full ? GatewayFeatures.MIRROR : null;
  }

  private void apply(HTTPRoute live, List<HTTPRouteRule> rules) {
    HTTPRoute patch =
        new HTTPRouteBuilder()
            .withMetadata(
                new ObjectMetaBuilder()
                    .withName(live.getMetadata().getName())
                    .withNamespace(live.getMetadata().getNamespace())
                    .withResourceVersion(live.getMetadata().getResourceVersion())
                    .build())
            .withNewSpec()
            .withRules(rules)
            .endSpec()
            .build();
    client.resource(patch).fieldManager(Labels.FIELD_MANAGER).forceConflicts().serverSideApply();
  }

  private static boolean set(HTTPBackendRef ref, int weight) {
    if (ManagedBackends.weight(ref) == weight && ref.getWeight() != null) {
      return false;
    }
    ref.setWeight(weight);
    return true;
  }

  /**
   * Null when this Rollout may manage the route, else why not (a route in another namespace without
   * a grant).
   */
  private String refusal(Rollout rollout, GatewayApiRouting gw, String name) {
    String ns = gw.routeNamespace(rollout.getMetadata().getNamespace());
    return ReferenceGrants.refusal(client, rollout.getMetadata().getNamespace(), ns, name);
  }

  private HTTPRoute get(Rollout rollout, GatewayApiRouting gw, String name) {
    String ns = gw.routeNamespace(rollout.getMetadata().getNamespace());
    HTTPRoute cached = reads.route(ns, name);
    // We change what we read, and the cache hands out its own copy: write on a copy of ours.
    return cached == null ? null : Serialization.clone(cached);
  }

  /** Every parent reports Accepted=True for the generation we are looking at. */
  static boolean acceptedAtCurrentGeneration(HTTPRoute route) {
    return RouteAcceptance.accepted(
        route.getMetadata().getGeneration(),
        route.getSpec().getParentRefs() == null ? 0 : route.getSpec().getParentRefs().size(),
        route.getStatus() == null ? null : route.getStatus().getParents());
  }
}
