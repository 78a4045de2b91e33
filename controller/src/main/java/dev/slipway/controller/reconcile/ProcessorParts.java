package dev.slipway.controller.reconcile;

import dev.slipway.api.v1alpha1.Rollout;
import dev.slipway.controller.analysis.AnalysisRunner;
import dev.slipway.controller.evidence.Evidence;
import dev.slipway.controller.kube.ClusterReads;
import dev.slipway.controller.kube.ReplicaSets;
import dev.slipway.controller.metrics.RolloutMetrics;
import dev.slipway.controller.notify.Notifier;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * Everything a {@link RolloutProcessor} is built from, in one place. The first nine are required;
 * the rest have defaults: a replica that always may act, reads that no informer replaces, no
 * notifications, and no finalizer (a deleted Rollout is then only forgotten).
 *
 * @param mayAct whether this replica may act now (it leads, and is not shutting down)
 * @param reads the reads the processor's parts share, which the reconciler points at its informers
 *     (null: they keep reading the API server)
 */
public record ProcessorParts(
    KubernetesClient client,
    ReplicaSets replicaSets,
    ObservationReader reader,
    ActionExecutor executor,
    EventRecorder events,
    Evidence evidence,
    AnalysisRunner analysis,
    RolloutMetrics metrics,
    Clock clock,
    BooleanSupplier mayAct,
    ClusterReads.Switchable reads,
    Notifier notifier,
    TrafficRelease release) {

  public static ProcessorParts of(
      KubernetesClient client,
      ReplicaSets replicaSets,
      ObservationReader reader,
      ActionExecutor executor,
      EventRecorder events,
      Evidence evidence,
      AnalysisRunner analysis,
      RolloutMetrics metrics,
      Clock clock) {
    return new ProcessorParts(
        client,
        replicaSets,
        reader,
        executor,
        events,
        evidence,
        analysis,
        metrics,
        clock,
        () -> true,
        null,
        null,
        null);
  }

  public ProcessorParts actingWhen(BooleanSupplier mayAct) {
    return new ProcessorParts(
        client,
        replicaSets,
        reader,
        executor,
        events,
        evidence,
        analysis,
        metrics,
        clock,
        mayAct,
        reads,
        notifier,
        release);
  }

  public ProcessorParts readingFrom(ClusterReads.Switchable reads) {
    return new ProcessorParts(
        client,
        replicaSets,
        reader,
        executor,
        events,
        evidence,
        analysis,
        metrics,
        clock,
        mayAct,
        reads,
        notifier,
        release);
  }

  public ProcessorParts notifyingThrough(Notifier notifier) {
    return new ProcessorParts(
        client,
        replicaSets,
        reader,
        executor,
        events,
        evidence,
        analysis,
        metrics,
        clock,
        mayAct,
        reads,
        notifier,
        release);
  }

  /** Hold each Rollout's deletion (a finalizer) until its traffic is released. */
  public ProcessorParts releasingWith(TrafficRelease release) {
    return new ProcessorParts(
        client,
        replicaSets,
        reader,
        executor,
        events,
        evidence,
        analysis,
        metrics,
        clock,
        mayAct,
        reads,
        notifier,
        release);
  }

  /** Until the reconciler points it at its informer cache: the namespace's Rollouts, listed. */
  Function<Rollout, List<Rollout>> listedPeers() {
    return r ->
        client
            .resources(Rollout.class)
            .inNamespace(r.getMetadata().getNamespace())
            .list()
            .getItems();
  }
}
