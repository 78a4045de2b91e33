package dev.slipway.controller.traffic;

import dev.slipway.api.v1alpha1.CanaryStrategy;
import dev.slipway.api.v1alpha1.GatewayApiRouting;
import dev.slipway.api.v1alpha1.GrpcRouteRef;
import dev.slipway.api.v1alpha1.Rollout;
import dev.slipway.api.v1alpha1.RouteStatus;
import dev.slipway.controller.core.RouteShape;
import dev.slipway.controller.core.TrafficView;
import dev.slipway.controller.kube.ClusterReads;
import dev.slipway.controller.kube.FieldOwners;
import dev.slipway.controller.kube.Labels;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GRPCBackendRef;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GRPCRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GRPCRouteBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GRPCRouteRule;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.List;

/**
 * Gateway API GRPCRoute weights and segments, on the terms of {@link HttpRouteRouter}: the route's
 * rules server-side applied with only our weights and segment rules changed, pinned to the
 * resourceVersion read; trusted once every parent accepted the generation; another namespace only
 * with a ReferenceGrant for GRPCRoutes. Segments match headers and one gRPC method ({@link
 * GrpcRouteShaping}); mirrors are refused at admission, and a shape no route can carry is reported
 * before any route is written, never half-written.
 */
public final class GrpcRouteRouter implements TrafficRouter {
  private final KubernetesClient client;
  private final ClusterReads reads;

  public GrpcRouteRouter(KubernetesClient client, ClusterReads reads) {
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
    for (GrpcRouteRef ref : gw.grpcRoutesOrEmpty()) {
      String label = "GRPCRoute " + ref.name();
      String refused = refusal(rollout, gw, ref.name());
      if (refused != null) {
        missing.add(label + " (" + refused + ")");
        continue;
      }
      GRPCRoute route = get(rollout, gw, ref.name());
      List<GrpcBackends.Pair> pairs =
          route == null
              ? List.of()
              : GrpcBackends.pairs(route, ref, canary, rollout.getMetadata().getNamespace());
      if (pairs.isEmpty()) {
        missing.add(
            route == null
                ? label
                : label
                    + " (no rule has backendRefs to both "
                    + canary.stableService()
                    + " and "
                    + canary.canaryService()
                    + ")");
        continue;
      }
      boolean ok =
          !gw.requireAcceptanceOrDefault()
              || RouteAcceptance.accepted(
                  route.getMetadata().getGeneration(),
                  route.getSpec().getParentRefs() == null
                      ? 0
                      : route.getSpec().getParentRefs().size(),
                  route.getStatus() == null ? null : route.getStatus().getParents());
      int weight = pairs.get(0).canaryPercent();
      for (GrpcBackends.Pair p : pairs) {
        disagree |= p.canaryPercent() != weight;
      }
      disagree |= common != null && common != weight;
      common = weight;
      accepted &= ok;
      RouteShape seen = GrpcRouteShaping.observe(route.getSpec().getRules(), pairs, prefix);
      shapesDiffer |= seen == null || (shape != null && !shape.equals(seen));
      shape = seen;
      foreign |= FieldOwners.foreign(route, "f:spec", "f:rules");
      present.add(new RouteStatus(label, weight, route.getMetadata().getGeneration(), ok));
    }
    return new TrafficView(
        missing,
        disagree ? null : common,
        accepted && !present.isEmpty(),
        present,
        foreign,
        shapesDiffer ? null : shape == null ? RouteShape.NONE : shape,
        null);
  }

  @Override
  // Both backends' weights are set whatever the first reports: | not ||.
  @SuppressWarnings("ShortCircuitBoolean")
  public List<String> setWeight(Rollout rollout, int canaryWeight, RouteShape shape) {
    CanaryStrategy canary = rollout.getSpec().strategy().plan();
    GatewayApiRouting gw = canary.trafficRouting().gatewayAPI();
    List<String> problems = new ArrayList<>();
    String prefix = RouteShaping.segmentPrefix(rollout.getMetadata().getName());
    List<GRPCRoute> routes = new ArrayList<>();
    List<List<GrpcBackends.Pair>> pairsOf = new ArrayList<>();
    boolean unwritable = false;
    for (GrpcRouteRef ref : gw.grpcRoutesOrEmpty()) {
      String refused = refusal(rollout, gw, ref.name());
      if (refused != null) {
        problems.add(refused);
        continue;
      }
      GRPCRoute route = get(rollout, gw, ref.name());
      if (route == null) {
        problems.add("GRPCRoute " + ref.name() + ": not found");
        continue;
      }
      List<GrpcBackends.Pair> pairs =
          GrpcBackends.pairs(route, ref, canary, rollout.getMetadata().getNamespace());
      if (pairs.isEmpty()) {
        problems.add("GRPCRoute " + ref.name() + ": no rule has backendRefs to both Services");
        continue;
      }
      String unfit = GrpcRouteShaping.problem(pairs, shape);
      if (unfit != null) {
        problems.add("GRPCRoute " + ref.name() + ": " + unfit);
        unwritable = true;
      }
      routes.add(route);
      pairsOf.add(pairs);
    }
    if (unwritable) {
      // A shape one route cannot carry is written to none: no half-applied step.
      return problems;
    }
    for (int i = 0; i < routes.size(); i++) {
      GRPCRoute route = routes.get(i);
      boolean changed = false;
      for (GrpcBackends.Pair p : pairsOf.get(i)) {
        changed |= set(p.stable(), 100 - canaryWeight) | set(p.canary(), canaryWeight);
      }
      changed |=
          GrpcRouteShaping.reshape(route.getSpec().getRules(), pairsOf.get(i), shape, prefix);
      if (changed) {
        apply(route, route.getSpec().getRules());
      }
    }
    return problems;
  }

  private void apply(GRPCRoute live, List<GRPCRouteRule> rules) {
    GRPCRoute patch =
        new GRPCRouteBuilder()
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

  private static boolean set(GRPCBackendRef ref, int weight) {
    if (GrpcBackends.weight(ref) == weight && ref.getWeight() != null) {
      return false;
    }
    ref.setWeight(weight);
    return true;
  }

  private String refusal(Rollout rollout, GatewayApiRouting gw, String name) {
    String ns = gw.routeNamespace(rollout.getMetadata().getNamespace());
    return ReferenceGrants.refusal(
        client, ReferenceGrants.TO_GRPC_KIND, rollout.getMetadata().getNamespace(), ns, name);
  }

  private GRPCRoute get(Rollout rollout, GatewayApiRouting gw, String name) {
    String ns = gw.routeNamespace(rollout.getMetadata().getNamespace());
    GRPCRoute cached = reads.grpcRoute(ns, name);
    // We change what we read, and the cache hands out its own copy: write on a copy of ours.
    return cached == null ? null : Serialization.clone(cached);
  }
}
