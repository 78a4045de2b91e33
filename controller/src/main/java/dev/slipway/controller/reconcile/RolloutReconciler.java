package dev.slipway.controller.reconcile;

import dev.slipway.api.v1alpha1.GatewayApiRouting;
import dev.slipway.api.v1alpha1.GrpcRouteRef;
import dev.slipway.api.v1alpha1.HttpRouteRef;
import dev.slipway.api.v1alpha1.Rollout;
import dev.slipway.controller.kube.ClusterReads;
import dev.slipway.controller.kube.Labels;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GRPCRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * JOSDK glue: informers wake us on Rollout, ReplicaSet and HTTPRoute changes; the work is in {@link
 * RolloutProcessor}. JOSDK serialises reconciles per Rollout and retries on errors.
 */
public final class RolloutReconciler implements Reconciler<Rollout> {
  private final RolloutProcessor processor;

  public RolloutReconciler(RolloutProcessor processor) {
    this.processor = processor;
  }

  @Override
  public UpdateControl<Rollout> reconcile(Rollout rollout, Context<Rollout> context) {
    if (context.isPrimaryResourceDeleted()) {
      // Reconciling on delete events too (no finalizer needed) lets memory forget deleted Rollouts.
      processor.forget(rollout);
      return UpdateControl.noUpdate();
    }
    RolloutProcessor.ProcessorResult r =
        processor.process(
            rollout.getMetadata().getNamespace(), rollout.getMetadata().getName(), rollout);
    UpdateControl<Rollout> c = UpdateControl.noUpdate();
    Duration after = r.requeueAfter();
    if (WorkloadTemplates.fromWorkload(rollout)
        && !rollout.getSpec().workloadRef().inPlace()
        && (after == null || after.compareTo(WorkloadTemplates.POLL) > 0)) {
      // Its pod template is a Deployment's, which sends no event here (StatefulSets and DaemonSets
      // do).
      after = WorkloadTemplates.POLL;
    }
    return after == null ? c : c.rescheduleAfter(after);
  }

  @Override
  public List<EventSource<?, Rollout>> prepareEventSources(EventSourceContext<Rollout> context) {
    // Claims are checked against the informer's Rollouts: the namespace's, or all of them for a
    // Rollout whose route lives in another namespace.
    Function<Rollout, List<Rollout>> peers =
        r -> {
          var gw =
              ObservationReader.routed(r)
                  ? r.getSpec().strategy().plan().trafficRouting().gatewayAPI()
                  : null;
          return (gw != null && gw.namespace() != null
                  ? context.getPrimaryCache().list()
                  : context.getPrimaryCache().list(r.getMetadata().getNamespace()))
              .toList();
        };
    // ReplicaSets map to their owner Rollout by owner reference (JOSDK's default).
    var rs =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(ReplicaSet.class, Rollout.class)
                .withName("replicasets")
                .withLabelSelector(Labels.ROLLOUT)
                .withNamespacesInheritedFromController()
                .build(),
            context);
    // Routes carry no reference to us: find the Rollouts that name them. A change by anyone
    // (a weight set by hand) wakes the Rollout, which puts its own weights back in that pass.
    var routeConfig =
        InformerEventSourceConfiguration.from(HTTPRoute.class, Rollout.class)
            .withName("httproutes")
            .withSecondaryToPrimaryMapper(route -> rolloutsNaming(context, route));
    // Watching Rollouts in listed namespaces only (a namespace-scoped install), routes are watched
    // there too; a route in another namespace is still read on every pass, just not watched.
    var routes =
        new InformerEventSource<>(
            (watchesAllNamespaces(context)
                    ? routeConfig.withWatchAllNamespaces()
                    : routeConfig.withNamespacesInheritedFromController())
                .build(),
            context);
    // GRPCRoutes likewise, where the cluster serves them (Gateway API v1.1 or later): a cluster
    // without the CRD still runs every HTTPRoute Rollout.
    InformerEventSource<GRPCRoute, Rollout> grpcRoutes = null;
    if (ServedApis.serves(context.getClient(), GRPCRoute.class)) {
      var grpcConfig =
          InformerEventSourceConfiguration.from(GRPCRoute.class, Rollout.class)
              .withName("grpcroutes")
              .withSecondaryToPrimaryMapper(
                  route ->
                      rolloutsNaming(
                          context,
                          route.getMetadata().getNamespace(),
                          route.getMetadata().getName(),
                          gw -> gw.grpcRoutesOrEmpty().stream().map(GrpcRouteRef::name)));
      grpcRoutes =
          new InformerEventSource<>(
              (watchesAllNamespaces(context)
                      ? grpcConfig.withWatchAllNamespaces()
                      : grpcConfig.withNamespacesInheritedFromController())
                  .build(),
              context);
    }
    // Services likewise: a selector changed by hand is put back on the next pass.
    var services =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(Service.class, Rollout.class)
                .withName("services")
                .withNamespacesInheritedFromController()
                .withSecondaryToPrimaryMapper(svc -> rolloutsSelecting(context, svc))
                .build(),
            context);
    // StatefulSets walked in place: a template applied from Git and each step of their
    // controller's (status: ready, updated, current) wake the Rollout naming them, instead of a
    // poll.
    var statefulSets =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(StatefulSet.class, Rollout.class)
                .withName("statefulsets")
                .withNamespacesInheritedFromController()
                .withSecondaryToPrimaryMapper(sts -> rolloutsWalking(context, sts))
                .build(),
            context);
    // DaemonSets walked node by node, likewise: a template from Git, and their pods' readiness.
    var daemonSets =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(DaemonSet.class, Rollout.class)
                .withName("daemonsets")
                .withNamespacesInheritedFromController()
                .withSecondaryToPrimaryMapper(ds -> rolloutsWalking(context, ds))
                .build(),
            context);
    processor.useInformers(
        peers,
        new InformerReads(
            rs, routes, grpcRoutes, services, ClusterReads.direct(context.getClient())));
    // A finished notification delivery wakes its Rollout, whose next pass records it.
    var deliveries = new SimpleInboundEventSource<Rollout>("notifications");
    if (processor.notifier() != null) {
      processor
          .notifier()
          .wakeWith((ns, name) -> deliveries.propagateEvent(new ResourceID(name, ns)));
    }
    return grpcRoutes == null
        ? List.of(rs, routes, services, statefulSets, daemonSets, deliveries)
        : List.of(rs, routes, grpcRoutes, services, statefulSets, daemonSets, deliveries);
  }

  /** The Rollouts that walk this StatefulSet or DaemonSet in place (workloadRef of its kind). */
  static Set<ResourceID> rolloutsWalking(EventSourceContext<Rollout> context, HasMetadata w) {
    String name = w.getMetadata().getName();
    String kind = w instanceof DaemonSet ? "DaemonSet" : "StatefulSet";
    return context
        .getPrimaryCache()
        .list(w.getMetadata().getNamespace())
        .filter(
            r ->
                r.getSpec() != null
                    && r.getSpec().workloadRef() != null
                    && kind.equals(r.getSpec().workloadRef().kindName())
                    && name.equals(r.getSpec().workloadRef().name()))
        .map(ResourceID::fromResource)
        .collect(Collectors.toSet());
  }

  private static boolean watchesAllNamespaces(EventSourceContext<Rollout> context) {
    return context.getControllerConfiguration().getInformerConfig().watchAllNamespaces();
  }

  static Set<ResourceID> rolloutsSelecting(EventSourceContext<Rollout> context, Service svc) {
    String name = svc.getMetadata().getName();
    return context
        .getPrimaryCache()
        .list(svc.getMetadata().getNamespace())
        .filter(
            r ->
                r.getSpec() != null
                    && r.getSpec().strategy() != null
                    && r.getSpec().strategy().plan() != null)
        .filter(
            r ->
                name.equals(r.getSpec().strategy().plan().stableService())
                    || name.equals(r.getSpec().strategy().plan().canaryService()))
        .map(ResourceID::fromResource)
        .collect(Collectors.toSet());
  }

  /**
   * A spec change, or a pending manual request. Our own status writes change neither, so they do
   * not wake us again.
   */
  public static boolean worthReconciling(Rollout next, Rollout previous) {
    if (!Objects.equals(
        next.getMetadata().getGeneration(), previous.getMetadata().getGeneration())) {
      return true;
    }
    if (next.getMetadata().getDeletionTimestamp() != null
        && previous.getMetadata().getDeletionTimestamp() == null) {
      // Being deleted: the finalizer waits for this pass to release the traffic.
      return true;
    }
    return pending(next) || pending(previous);
  }

  private static boolean pending(Rollout r) {
    return r.getStatus() != null && r.getStatus().request() != null;
  }

  static Set<ResourceID> rolloutsNaming(EventSourceContext<Rollout> context, HTTPRoute route) {
    return rolloutsNaming(
        context,
        route.getMetadata().getNamespace(),
        route.getMetadata().getName(),
        gw -> gw.httpRoutesOrEmpty().stream().map(HttpRouteRef::name));
  }

  /** The Rollouts whose routes of one kind ({@code names}) include ns/name. */
  static Set<ResourceID> rolloutsNaming(
      EventSourceContext<Rollout> context,
      String ns,
      String name,
      Function<GatewayApiRouting, Stream<String>> names) {
    return context
        .getPrimaryCache()
        .list()
        .filter(r -> r.getSpec() != null && ObservationReader.routed(r))
        .filter(
            r -> {
              var gw = r.getSpec().strategy().plan().trafficRouting().gatewayAPI();
              String routeNs = gw.routeNamespace(r.getMetadata().getNamespace());
              return routeNs.equals(ns) && names.apply(gw).anyMatch(name::equals);
            })
        .map(ResourceID::fromResource)
        .collect(Collectors.toSet());
  }
}
