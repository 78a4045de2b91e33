package dev.slipway.controller.reconcile;

import dev.slipway.api.v1alpha1.Rollout;
import dev.slipway.controller.kube.ClusterReads;
import dev.slipway.controller.kube.Labels;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GRPCRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.List;
import java.util.Map;

/**
 * Reads from the reconciler's informers: no request between an event and the decision it wakes.
 * What the informers do not hold (a route or Service in a namespace they do not watch, or one that
 * does not exist) is asked of the API, so a cache is never taken for the truth about absence.
 */
final class InformerReads implements ClusterReads {
  private final InformerEventSource<ReplicaSet, Rollout> replicaSets;
  private final InformerEventSource<HTTPRoute, Rollout> routes;
  private final InformerEventSource<GRPCRoute, Rollout> grpcRoutes;
  private final InformerEventSource<Service, Rollout> services;
  private final ClusterReads direct;

  InformerReads(
      InformerEventSource<ReplicaSet, Rollout> replicaSets,
      InformerEventSource<HTTPRoute, Rollout> routes,
      InformerEventSource<GRPCRoute, Rollout> grpcRoutes,
      InformerEventSource<Service, Rollout> services,
      ClusterReads direct) {
    this.replicaSets = replicaSets;
    this.routes = routes;
    this.grpcRoutes = grpcRoutes;
    this.services = services;
    this.direct = direct;
  }

  /** The index of ReplicaSets by the Rollout their label names (added before the informer runs). */
  static final String BY_ROLLOUT = "slipway.dev/rollout";

  static Map<String, java.util.function.Function<ReplicaSet, List<String>>> indexers() {
    return Map.of(
        BY_ROLLOUT,
        rs ->
            rs.getMetadata().getLabels() == null
                    || rs.getMetadata().getLabels().get(Labels.ROLLOUT) == null
                ? List.of()
                : List.of(
                    rs.getMetadata().getNamespace()
                        + "/"
                        + rs.getMetadata().getLabels().get(Labels.ROLLOUT)));
  }

  /** By index: a scan of the namespace's ReplicaSets per pass made a restart quadratic. */
  @Override
  public List<ReplicaSet> replicaSets(Rollout r) {
    return replicaSets.byIndex(
        BY_ROLLOUT, r.getMetadata().getNamespace() + "/" + r.getMetadata().getName());
  }

  @Override
  public List<Pod> pods(Rollout r) {
    return direct.pods(r);
  }

  @Override
  public HTTPRoute route(String namespace, String name) {
    return routes
        .get(new ResourceID(name, namespace))
        .orElseGet(() -> direct.route(namespace, name));
  }

  /** From the informer when the cluster serves GRPCRoutes (null otherwise: asked directly). */
  @Override
  public GRPCRoute grpcRoute(String namespace, String name) {
    return grpcRoutes == null
        ? direct.grpcRoute(namespace, name)
        : grpcRoutes
            .get(new ResourceID(name, namespace))
            .orElseGet(() -> direct.grpcRoute(namespace, name));
  }

  @Override
  public Service service(String namespace, String name) {
    return services
        .get(new ResourceID(name, namespace))
        .orElseGet(() -> direct.service(namespace, name));
  }

  @Override
  public Deployment deployment(String namespace, String name) {
    return direct.deployment(namespace, name);
  }

  @Override
  public StatefulSet statefulSet(String namespace, String name) {
    return direct.statefulSet(namespace, name);
  }

  @Override
  public List<Pod> pods(String namespace, Map<String, String> labels) {
    return direct.pods(namespace, labels);
  }

  @Override
  public DaemonSet daemonSet(String namespace, String name) {
    return direct.daemonSet(namespace, name);
  }

  @Override
  public List<ControllerRevision> controllerRevisions(
      String namespace, Map<String, String> labels) {
    return direct.controllerRevisions(namespace, labels);
  }

  @Override
  public List<Node> nodes() {
    return direct.nodes();
  }
}
