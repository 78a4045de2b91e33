package dev.slipway.controller.k8s;

import dev.slipway.controller.reconcile.RolloutProcessor;
import dev.slipway.controller.reconcile.RolloutReconciler;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
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
  private final String watchNamespace;
  private final Clock clock;
  private final ActingGuard guard;
  private Operator operator;

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
      MeterRegistry registry,
      Clock clock,
      ActingGuard guard) {
    this.client = client;
    this.guard = guard;
    this.clock = clock;
    this.processor = processor;
    this.election =
        LeaderElection.of(
            leaseNamespace,
            podName.filter(p -> !p.isBlank()).or(() -> hostname),
            leaseDuration,
            renewDeadline,
            retryPeriod);
    Gauge.builder("slipway.leader", this, l -> l.standby() ? 0 : 1)
        .description(
            "1 on the replica that reconciles (the lease holder, or the only replica), 0 on a standby")
        .register(registry);
    this.watchNamespace = watchNamespace;
  }

  @EventListener
  void onStartup(StartupEvent e) {
    operator =
        new Operator(
            o -> {
              o.withKubernetesClient(client).withCloseClientOnStop(false);
              election.ifPresent(
                  le ->
                      o.withLeaderElectionConfiguration(
                          le.configuration(
                              guard,
                              () -> {
                                client.getKubernetesVersion();
                                return true;
                              })));
            });
    operator.register(
        new RolloutReconciler(processor),
        c -> {
          c.withName("rollout");
          // Manual requests arrive as status writes, which do not bump metadata.generation.
          c.withGenerationAware(false);
          // Delete events reach the reconciler, which forgets the Rollout's in-memory state; no
          // finalizer.
          c.withTriggerReconcilerOnAllEvents(true);
          c.withOnUpdateFilter(RolloutReconciler::worthReconciling);
          if (!watchNamespace.isBlank()) {
            c.settingNamespaces(watchNamespace.split(","));
          }
        });
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
                LOG.info(
                    "slipway controller started (leader election: {}, namespaces: {})",
                    election.map(LeaderElection::toString).orElse("off"),
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
}
