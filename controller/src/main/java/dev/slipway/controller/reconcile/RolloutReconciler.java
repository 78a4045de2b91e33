package dev.slipway.controller.reconcile;

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
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiPredicate;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * JOSDK glue: informers wake us on Rollout, ReplicaSet and HTTPRoute changes; the work is in {@link
 * RolloutProcessor}. JOSDK serialises reconciles per Rollout and retries on errors.
 */
public final class RolloutReconciler implements Reconciler<Rollout> {
  private final RolloutProcessor processor;
  private final PassQueue queue;
  private final Ownership ownership;
  private final SimpleInboundEventSource<Rollout> moved =
      new SimpleInboundEventSource<>("shard-moves");
  private volatile IndexerResourceCache<Rollout> rollouts;

  public RolloutReconciler(RolloutProcessor processor) {
    this(processor, null, Ownership.ALL);
  }

  /**
   * @param queue the executor JOSDK runs passes on, ranked by the informer's Rollouts (null:
   *     JOSDK's own, in arrival order)
   * @param ownership the Rollouts this replica handles (with shards, those of the shards it holds)
   */
  public RolloutReconciler(RolloutProcessor processor, PassQueue queue, Ownership ownership) {
    this.processor = processor;
    this.queue = queue;
    this.ownership = ownership;
  }

  /**
   * A shard moved to or from this replica: forget what memory holds about each of its Rollouts
   * (another replica moved them on, or will).
   */
  public void forget(BiPredicate<String, String> inShard) {
    each(inShard, processor::forget);
  }

  /** A shard is now this replica's: a pass for each of its Rollouts; how many. */
  public int wake(BiPredicate<String, String> inShard) {
    return each(inShard, r -> moved.propagateEvent(ResourceID.fromResource(r)));
  }

  private int each(BiPredicate<String, String> which, java.util.function.Consumer<Rollout> what) {
    IndexerResourceCache<Rollout> cache = rollouts;
    if (cache == null) return 0;
    List<Rollout> in =
        cache
            .list()
            .filter(r -> which.test(r.getMetadata().getNamespace(), r.getMetadata().getName()))
            .toList();
    in.forEach(what);
    return in.size();
  }

  @Override
  public UpdateControl<Rollout> reconcile(Rollout rollout, Context<Rollout> context) {
    if (context.isPrimaryResourceDeleted()) {
      // Reconciling on delete events too (no finalizer needed) lets memory forget deleted Rollouts.
      processor.forget(rollout);
      return UpdateControl.noUpdate();
    }
    String ns = rollout.getMetadata().getNamespace();
    String name = rollout.getMetadata().getName();
    if (!ownership.owns(ns, name)) {
      // Another replica's shard: it reads and writes this Rollout; its move here wakes it.
      return UpdateControl.noUpdate();
    }
    try (Ownership.Pass ignored = ownership.enter(ns, name)) {
      return pass(rollout, context);
    }
  }

  private UpdateControl<Rollout> pass(Rollout rollout, Context<Rollout> context) {
    // The informer's newest copy: a pass queued behind others may have waited while a request
    // arrived.
    Rollout latest =
        context.getPrimaryCache().get(ResourceID.fromResource(rollout)).orElse(rollout);
    RolloutProcessor.ProcessorResult r =
        processor.process(
            rollout.getMetadata().getNamespace(), rollout.getMetadata().getName(), latest);
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
    // The informer's Rollouts indexed by what they name: claims are checked against the Rollouts
    // that share a Service, route or workload with this one, and an event on one of those finds
    // the Rollouts naming it, by key.
    context.getPrimaryCache().addIndexers(Map.of(ClaimIndex.NAME, ClaimIndex::keys));
    Function<Rollout, List<Rollout>> peers =
        r ->
            ClaimIndex.keys(r).stream()
                .flatMap(k -> context.getPrimaryCache().byIndex(ClaimIndex.NAME, k).stream())
                .distinct()
                .toList();
    // ReplicaSets map to their owner Rollout by owner reference (JOSDK's default).
    var rs =
        new InformerEventSource<>(
            LeanStores.lean(
                    InformerEventSourceConfiguration.from(ReplicaSet.class, Rollout.class)
                        .withName("replicasets")
                        .withLabelSelector(Labels.ROLLOUT)
                        .withNamespacesInheritedFromController(),
                    context,
                    false)
                .build(),
            context);
    rs.addIndexers(InformerReads.indexers());
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
            LeanStores.lean(
                    watchesAllNamespaces(context)
                        ? routeConfig.withWatchAllNamespaces()
                        : routeConfig.withNamespacesInheritedFromController(),
                    context,
                    watchesAllNamespaces(context),
                    LeanStores.keeping("f:spec", "f:rules"))
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
                      named(
                          context,
                          ClaimIndex.grpcRoute(
                              route.getMetadata().getNamespace(), route.getMetadata().getName())));
      grpcRoutes =
          new InformerEventSource<>(
              LeanStores.lean(
                      watchesAllNamespaces(context)
                          ? grpcConfig.withWatchAllNamespaces()
                          : grpcConfig.withNamespacesInheritedFromController(),
                      context,
                      watchesAllNamespaces(context),
                      LeanStores.keeping("f:spec", "f:rules"))
                  .build(),
              context);
    }
    // Services likewise: a selector changed by hand is put back on the next pass. Only those
    // Slipway labelled when it pointed them (ServiceSelectors): a cluster's other Services are
    // neither cached nor watched; one not yet labelled is read from the API until it is.
    var services =
        new InformerEventSource<>(
            LeanStores.lean(
                    InformerEventSourceConfiguration.from(Service.class, Rollout.class)
                        .withName("services")
                        .withLabelSelector(Labels.ROLLOUT)
                        .withNamespacesInheritedFromController()
                        .withSecondaryToPrimaryMapper(svc -> rolloutsSelecting(context, svc)),
                    context,
                    false,
                    LeanStores.keeping("f:spec", "f:selector"))
                .build(),
            context);
    // StatefulSets walked in place: a template applied from Git and each step of their
    // controller's (status: ready, updated, current) wake the Rollout naming them, instead of a
    // poll.
    var statefulSets =
        new InformerEventSource<>(
            LeanStores.lean(
                    InformerEventSourceConfiguration.from(StatefulSet.class, Rollout.class)
                        .withName("statefulsets")
                        .withNamespacesInheritedFromController()
                        .withSecondaryToPrimaryMapper(sts -> rolloutsWalking(context, sts)),
                    context,
                    false)
                .build(),
            context);
    // DaemonSets walked node by node, likewise: a template from Git, and their pods' readiness.
    var daemonSets =
        new InformerEventSource<>(
            LeanStores.lean(
                    InformerEventSourceConfiguration.from(DaemonSet.class, Rollout.class)
                        .withName("daemonsets")
                        .withNamespacesInheritedFromController()
                        .withSecondaryToPrimaryMapper(ds -> rolloutsWalking(context, ds)),
                    context,
                    false)
                .build(),
            context);
    rollouts = context.getPrimaryCache();
    if (queue != null) {
      queue.rankWith(
          id -> context.getPrimaryCache().get(id).map(Urgency::of).orElse(Urgency.ACTIVE));
    }
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
        ? List.of(rs, routes, services, statefulSets, daemonSets, deliveries, moved)
        : List.of(rs, routes, grpcRoutes, services, statefulSets, daemonSets, deliveries, moved);
  }

  /** The Rollouts that walk this StatefulSet or DaemonSet in place (workloadRef of its kind). */
  static Set<ResourceID> rolloutsWalking(EventSourceContext<Rollout> context, HasMetadata w) {
    String kind = w instanceof DaemonSet ? "DaemonSet" : "StatefulSet";
    return named(
        context,
        ClaimIndex.workload(kind, w.getMetadata().getNamespace(), w.getMetadata().getName()));
  }

  /** The Rollouts whose claim keys include {@code key}. */
  private static Set<ResourceID> named(EventSourceContext<Rollout> context, String key) {
    return context.getPrimaryCache().byIndex(ClaimIndex.NAME, key).stream()
        .map(ResourceID::fromResource)
        .collect(Collectors.toSet());
  }

  private static boolean watchesAllNamespaces(EventSourceContext<Rollout> context) {
    return context.getControllerConfiguration().getInformerConfig().watchAllNamespaces();
  }

  static Set<ResourceID> rolloutsSelecting(EventSourceContext<Rollout> context, Service svc) {
    return named(
        context, ClaimIndex.service(svc.getMetadata().getNamespace(), svc.getMetadata().getName()));
  }

  /**
   * JOSDK's filter of Rollout updates ({@link #worthReconciling}); a request or a deletion also
   * moves a pass of that Rollout already queued behind others to the request lane.
   */
  public boolean onUpdate(Rollout next, Rollout previous) {
    boolean worth = worthReconciling(next, previous);
    if (worth && queue != null && Urgency.of(next) == Urgency.REQUEST) {
      queue.promote(ResourceID.fromResource(next));
    }
    return worth;
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
    return named(
        context,
        ClaimIndex.httpRoute(route.getMetadata().getNamespace(), route.getMetadata().getName()));
  }
}
