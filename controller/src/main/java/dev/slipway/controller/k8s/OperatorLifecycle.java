package dev.slipway.controller.k8s;

import dev.slipway.api.v1alpha1.Rollout;
import dev.slipway.controller.fleet.ReleaseReconciler;
import dev.slipway.controller.reconcile.LeanStores;
import dev.slipway.controller.reconcile.PassQueue;
import dev.slipway.controller.reconcile.RolloutProcessor;
import dev.slipway.controller.reconcile.RolloutReconciler;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.Cloner;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.context.event.ShutdownEvent;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the JOSDK operator with the application and stops it with it. With leader election on,
 * only the lease holder runs the reconciler; see {@link LeaderElection}.
 */
@Singleton
@Requires(property = "slipway.operator.enabled", notEquals = "false")
public class OperatorLifecycle {
  private static final Logger LOG = LoggerFactory.getLogger(OperatorLifecycle.class);
  private final KubernetesClient client;
  private final RolloutProcessor processor;
  private final Optional<LeaderElection> election;

  /** The one leader's fencing; null without leader election, or with shards (they fence each). */
  private final LeaseFence fence;

  private final String watchNamespace;
  private final Clock clock;
  private final ActingGuard guard;
  private final int reconcileThreads;
  private final ShardLeases shards;
  private final Optional<ReleaseReconciler> hub;
  private Operator operator;
  private volatile RolloutReconciler reconciler;

  public OperatorLifecycle(
      KubernetesClient client,
      RolloutProcessor processor,
      @Value("${slipway.leader-election.namespace:}") Optional<String> leaseNamespace,
      @Value("${slipway.leader-election.pod-name:}") Optional<String> podName,
      @Value("${slipway.leader-election.hostname:}") Optional<String> hostname,
      @Value("${slipway.leader-election.lease-duration:15s}") Duration leaseDuration,
      @Value("${slipway.leader-election.renew-deadline:10s}") Duration renewDeadline,
      @Value("${slipway.leader-election.retry-period:2s}") Duration retryPeriod,
      @Value("${slipway.watch-namespace:}") String watchNamespace,
      @Value("${slipway.reconcile-threads:16}") int reconcileThreads,
      @Value("${slipway.shards.count:1}") int shardCount,
      @Value("${slipway.shards.tick:1s}") Duration shardTick,
      MeterRegistry registry,
      Clock clock,
      ActingGuard guard,
      Optional<ReleaseReconciler> hub) {
    this.client = client;
    this.hub = hub;
    if (hub.isPresent() && shardCount > 1) {
      // Releases are not sharded: a hub's replicas agree on one leader, which walks every Release.
      throw new IllegalArgumentException(
          "slipway.hub.enabled needs slipway.shards.count=1 (the hub runs on the one leader)");
    }
    this.guard = guard;
    this.clock = clock;
    this.processor = processor;
    Optional<LeaderElection> elected =
        LeaderElection.of(
            leaseNamespace,
            podName.filter(p -> !p.isBlank()).or(() -> hostname),
            leaseDuration,
            renewDeadline,
            retryPeriod);
    if (shardCount > 1) {
      // Shards replace the one leader: every replica reconciles, each for the shards it holds.
      LeaderElection le =
          elected.orElseThrow(
              () ->
                  new IllegalArgumentException(
                      "slipway.shards.count="
                          + shardCount
                          + " needs slipway.leader-election.namespace (where the shards' Leases live)"));
      String member = podName.filter(p -> !p.isBlank()).or(() -> hostname).orElse("slipway");
      this.shards =
          new ShardLeases(
              client,
              le.namespace(),
              member,
              le.identity(),
              shardCount,
              leaseDuration,
              renewDeadline,
              shardTick,
              clock,
              new ShardMoves());
      this.election = Optional.empty();
      guard.shardedBy(shardCount, shards::holds);
      Gauge.builder("slipway.shards.held", shards, x -> x.held().size())
          .description("Shards whose Rollouts this replica reconciles now")
          .register(registry);
    } else {
      this.shards = null;
      this.election = elected;
    }
    this.fence = election.map(le -> new LeaseFence(client, le, clock)).orElse(null);
    if (fence != null) {
      guard.fencedBy(fence::holds);
      fence.start(retryPeriod, guard::leads);
    }
    Gauge.builder("slipway.leader", this, l -> l.standby() ? 0 : 1)
        .description(
            "1 on the replica that reconciles (the lease holder, or the only replica), 0 on a standby")
        .register(registry);
    this.watchNamespace = watchNamespace;
    this.reconcileThreads = reconcileThreads;
  }

  /**
   * JOSDK copies each resource before a pass (a JSON round trip) so that a reconciler mutating it
   * cannot corrupt the informer's cache. Passes here never mutate what they read (they build new
   * objects to write, and a Rollout pass decides on the informer's own copy anyway), and the copy
   * was a fifth of a pass's CPU at 3,000 Rollouts (a flight recording of a restart): none is made.
   */
  private static final Cloner SHARED_COPY =
      new Cloner() {
        @Override
        public <R extends HasMetadata> R clone(R object) {
          return object;
        }
      };

  @EventListener
  void onStartup(StartupEvent e) {
    // Passes ranked by urgency: a request (an abort) has a lane of its own, a canary in flight goes
    // before the settled Rollouts a restart queues by the thousand.
    PassQueue queue = new PassQueue(reconcileThreads, 4);
    operator =
        new Operator(
            o -> {
              o.withKubernetesClient(client)
                  .withCloseClientOnStop(false)
                  .withExecutorService(queue)
                  .withResourceCloner(SHARED_COPY);
              election.ifPresent(
                  le ->
                      o.withLeaderElectionConfiguration(
                          le.configuration(
                              guard,
                              () -> {
                                client.getKubernetesVersion();
                                return true;
                              },
                              fence::read)));
            });
    reconciler = new RolloutReconciler(processor, queue, guard);
    operator.register(
        reconciler,
        c -> {
          c.withName("rollout");
          // Manual requests arrive as status writes, which do not bump metadata.generation.
          c.withGenerationAware(false);
          // Delete events reach the reconciler, which forgets the Rollout's in-memory state; no
          // finalizer.
          c.withTriggerReconcilerOnAllEvents(true);
          c.withOnUpdateFilter(reconciler::onUpdate);
          if (!watchNamespace.isBlank()) {
            c.settingNamespaces(watchNamespace.split(","));
          }
          // Rollouts cached with only the field managers that wrote a manual request.
          ItemStore<Rollout> lean =
              LeanStores.rollouts(
                  watchNamespace.isBlank() ? Set.of() : Set.of(watchNamespace.split(",")));
          if (lean != null) {
            c.withItemStore(lean);
          }
        });
    hub.ifPresent(
        h ->
            operator.register(
                h,
                c -> {
                  c.withName("release");
                  // Requests arrive as status writes, which do not bump metadata.generation.
                  c.withGenerationAware(false);
                  if (!watchNamespace.isBlank()) {
                    c.settingNamespaces(watchNamespace.split(","));
                  }
                }));
    // Alone, this replica acts from the start; with leader election, once it leads.
    guard.leads(election.isEmpty());
    // The informers start beside the HTTP server rather than before it: /health says DOWN until
    // they run, and start-up is the longer of the two, not their sum. A standby starts them too,
    // so a failover costs the lease and one pass.
    Thread starter =
        new Thread(
            () -> {
              try {
                operator.start();
                if (shards != null) shards.start();
                LOG.info(
                    "slipway controller started (leader election: {}, namespaces: {})",
                    shards != null
                        ? shards.toString()
                        : election.map(LeaderElection::toString).orElse("off"),
                    watchNamespace.isBlank() ? "all" : watchNamespace);
              } catch (RuntimeException ex) {
                // A controller that cannot watch (no CRD, no right) is of no use running: say why,
                // and let it restart.
                LOG.error("the operator could not start: {}", ex.getMessage(), ex);
                System.exit(1);
              }
            },
            "operator-start");
    starter.setDaemon(true);
    starter.start();
  }

  @EventListener
  void onShutdown(ShutdownEvent e) {
    if (operator != null) {
      guard.stop();
      operator.stop();
      // Passes have stopped: free this replica's shards for the others at once.
      if (shards != null) shards.close();
      if (fence != null) fence.close();
      election
          .filter(le -> le.release(client, clock))
          .ifPresent(
              le -> LOG.info("released lease {} for the next leader", LeaderElection.LEASE_NAME));
    }
  }

  /**
   * A standby is healthy once its operator runs: it watches nothing until it leads, and a liveness
   * probe that failed it would restart the very replica waiting to take over.
   */
  public boolean healthy() {
    if (operator == null || !operator.getRuntimeInfo().isStarted()) {
      return false;
    }
    return standby() || operator.getRuntimeInfo().allEventSourcesAreHealthy();
  }

  public boolean standby() {
    return election.isPresent() && !guard.leads();
  }

  public boolean leads() {
    return guard.leads();
  }

  public Optional<LeaderElection> election() {
    return election;
  }

  /** Shards coming and going: memory of their Rollouts dropped, passes woken or drained. */
  private final class ShardMoves implements ShardLeases.Listener {
    private java.util.function.BiPredicate<String, String> inShard(int shard) {
      return (ns, name) -> Shards.of(ns, name, shards.count()) == shard;
    }

    @Override
    public void taking(int shard) {
      RolloutReconciler r = reconciler;
      if (r != null) r.forget(inShard(shard));
    }

    @Override
    public void acquired(int shard) {
      RolloutReconciler r = reconciler;
      int woken = r == null ? 0 : r.wake(inShard(shard));
      LOG.info("shard {}: {} Rollouts to reconcile", shard, woken);
    }

    @Override
    public boolean drained(int shard) {
      return guard.idle(shard);
    }

    @Override
    public void released(int shard) {
      RolloutReconciler r = reconciler;
      if (r != null) r.forget(inShard(shard));
    }
  }
}
