package dev.slipway.controller.traffic;

import dev.slipway.api.v1alpha1.GatewayApiRouting;
import dev.slipway.api.v1alpha1.Rollout;
import dev.slipway.api.v1alpha1.RouteStatus;
import dev.slipway.controller.core.RouteShape;
import dev.slipway.controller.core.TrafficView;
import dev.slipway.controller.kube.ClusterReads;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A Rollout's Gateway API routes of both kinds as one: the HTTPRoutes' and GRPCRoutes' views
 * merged, so the core sees one weight that every route agrees on (or none), accepted only when
 * every route is; a weight is written to both kinds.
 */
public final class GatewayRouter implements TrafficRouter {
  private final TrafficRouter http;
  private final TrafficRouter grpc;

  public GatewayRouter(KubernetesClient client, ClusterReads reads) {
    this(new HttpRouteRouter(client, reads), new GrpcRouteRouter(client, reads));
  }

  GatewayRouter(TrafficRouter http, TrafficRouter grpc) {
    this.http = http;
    this.grpc = grpc;
  }

  @Override
  public TrafficView observe(Rollout rollout) {
    GatewayApiRouting gw = rollout.getSpec().strategy().plan().trafficRouting().gatewayAPI();
    boolean hasHttp = !gw.httpRoutesOrEmpty().isEmpty();
    boolean hasGrpc = !gw.grpcRoutesOrEmpty().isEmpty();
    if (!hasGrpc) return http.observe(rollout);
    if (!hasHttp) return grpc.observe(rollout);
    return merge(http.observe(rollout), grpc.observe(rollout));
  }

  @Override
  public List<String> setWeight(Rollout rollout, int canaryWeight, RouteShape shape) {
    GatewayApiRouting gw = rollout.getSpec().strategy().plan().trafficRouting().gatewayAPI();
    List<String> problems = new ArrayList<>();
    if (!gw.httpRoutesOrEmpty().isEmpty()) {
      problems.addAll(http.setWeight(rollout, canaryWeight, shape));
    }
    if (!gw.grpcRoutesOrEmpty().isEmpty()) {
      problems.addAll(grpc.setWeight(rollout, canaryWeight, shape));
    }
    return problems;
  }

  /** Both kinds' views as one: a weight and a shape only where both agree. */
  static TrafficView merge(TrafficView a, TrafficView b) {
    List<String> missing = new ArrayList<>(a.missingRoutes());
    missing.addAll(b.missingRoutes());
    List<RouteStatus> routes = new ArrayList<>(a.routes());
    routes.addAll(b.routes());
    Integer weight =
        a.canaryWeight() != null && Objects.equals(a.canaryWeight(), b.canaryWeight())
            ? a.canaryWeight()
            : null;
    RouteShape shape = a.shape() != null && a.shape().equals(b.shape()) ? a.shape() : null;
    return new TrafficView(
        missing,
        weight,
        a.accepted() && b.accepted(),
        routes,
        a.editedByOthers() || b.editedByOthers(),
        shape,
        a.mirrorUnsupported() != null ? a.mirrorUnsupported() : b.mirrorUnsupported());
  }
}
