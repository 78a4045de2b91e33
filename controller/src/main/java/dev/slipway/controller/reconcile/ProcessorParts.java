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
import java.util.function.Predicate;

/**
 * Everything a {@link RolloutProcessor} is built from, in one place. The first nine are required
 * ({@link #builder}); the rest have defaults: a replica that always may act, reads that no informer
 * replaces, no notifications, and no finalizer (a deleted Rollout is then only forgotten).
 *
 * @param mayAct whether this replica may act on a Rollout now (it leads, holds the Rollout's shard,
 *     and is not shutting down)
 * @param reads the reads the processor's parts share, which the reconciler points at its informers
 *     (null: they keep reading the API server)
 * @param release holds each Rollout's deletion (a finalizer) until its traffic is released
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
    Predicate<Rollout> mayAct,
    ClusterReads.Switchable reads,
    Notifier notifier,
    TrafficRelease release) {

  public static Builder builder(
      KubernetesClient client,
      ReplicaSets replicaSets,
      ObservationReader reader,
      ActionExecutor executor,
      EventRecorder events,
      Evidence evidence,
      AnalysisRunner analysis,
      RolloutMetrics metrics,
      Clock clock) {
    Builder b = new Builder();
    b.client = client;
    b.replicaSets = replicaSets;
    b.reader = reader;
    b.executor = executor;
    b.events = events;
    b.evidence = evidence;
    b.analysis = analysis;
    b.metrics = metrics;
    b.clock = clock;
    return b;
  }

  /** The same parts, to change one (a controller restarted with other notifications). */
  public Builder toBuilder() {
    Builder b =
        builder(client, replicaSets, reader, executor, events, evidence, analysis, metrics, clock);
    b.mayAct = mayAct;
    b.reads = reads;
    b.notifier = notifier;
    b.release = release;
    return b;
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

  /** Collects the parts; {@link #build} makes the one record a processor is built from. */
  public static final class Builder {
    private KubernetesClient client;
    private ReplicaSets replicaSets;
    private ObservationReader reader;
    private ActionExecutor executor;
    private EventRecorder events;
    private Evidence evidence;
    private AnalysisRunner analysis;
    private RolloutMetrics metrics;
    private Clock clock;
    private Predicate<Rollout> mayAct = r -> true;
    private ClusterReads.Switchable reads;
    private Notifier notifier;
    private TrafficRelease release;

    private Builder() {}

    public Builder actingWhen(BooleanSupplier mayAct) {
      this.mayAct = r -> mayAct.getAsBoolean();
      return this;
    }

    /** Acting on a Rollout only when {@code mayAct} says so for it (shards). */
    public Builder actingOn(Predicate<Rollout> mayAct) {
      this.mayAct = mayAct;
      return this;
    }

    public Builder readingFrom(ClusterReads.Switchable reads) {
      this.reads = reads;
      return this;
    }

    public Builder notifyingThrough(Notifier notifier) {
      this.notifier = notifier;
      return this;
    }

    public Builder releasingWith(TrafficRelease release) {
      this.release = release;
      return this;
    }

    public ProcessorParts build() {
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
  }
}
