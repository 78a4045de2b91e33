package dev.slipway.controller.reconcile;

import dev.slipway.api.v1alpha1.GrpcRouteRef;
import dev.slipway.api.v1alpha1.HttpRouteRef;
import dev.slipway.api.v1alpha1.Rollout;
import java.util.ArrayList;
import java.util.List;

/**
 * The keys of what a Rollout names and may claim, for an index of the informer's Rollouts: its
 * Services, its routes (in their own namespace), its workload. A Service, route or workload event
 * finds the Rollouts that name it, and a pass finds the peers whose claims could clash with its
 * own, by key, instead of scanning every Rollout of the namespace: with thousands of Rollouts those
 * scans made a restart quadratic. Pure.
 */
final class ClaimIndex {
  static final String NAME = "slipway.dev/claims";

  private ClaimIndex() {}

  static String service(String namespace, String name) {
    return "Service:" + namespace + "/" + name;
  }

  static String httpRoute(String namespace, String name) {
    return "HTTPRoute:" + namespace + "/" + name;
  }

  static String grpcRoute(String namespace, String name) {
    return "GRPCRoute:" + namespace + "/" + name;
  }

  static String workload(String kind, String namespace, String name) {
    return kind + ":" + namespace + "/" + name;
  }

  /** Every key the Rollout is found under. */
  static List<String> keys(Rollout r) {
    List<String> out = new ArrayList<>();
    var spec = r.getSpec();
    if (spec == null) return out;
    String ns = r.getMetadata().getNamespace();
    var plan = spec.strategy() == null ? null : spec.strategy().plan();
    if (plan != null) {
      if (plan.stableService() != null) out.add(service(ns, plan.stableService()));
      if (plan.canaryService() != null && !plan.canaryService().equals(plan.stableService()))
        out.add(service(ns, plan.canaryService()));
    }
    if (ObservationReader.routed(r)) {
      var gw = plan.trafficRouting().gatewayAPI();
      String routeNs = gw.routeNamespace(ns);
      for (HttpRouteRef h : gw.httpRoutesOrEmpty()) out.add(httpRoute(routeNs, h.name()));
      for (GrpcRouteRef g : gw.grpcRoutesOrEmpty()) out.add(grpcRoute(routeNs, g.name()));
    }
    if (spec.workloadRef() != null && spec.workloadRef().name() != null)
      out.add(workload(spec.workloadRef().kindName(), ns, spec.workloadRef().name()));
    return out;
  }
}
