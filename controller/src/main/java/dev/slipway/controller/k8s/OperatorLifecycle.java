package dev.slipway.controller.k8s;

import dev.slipway.controller.reconcile.RolloutProcessor;
import dev.slipway.controller.reconcile.RolloutReconciler;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.context.event.ShutdownEvent;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.inject.Singleton;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the JOSDK operator with the application and stops it with it. With leader election on,
 * a replica that loses its lease exits (JOSDK's default), so an old leader never keeps acting.
 */
@Singleton
@Requires(property = "slipway.operator.enabled", notEquals = "false")
public class OperatorLifecycle {
  private static final Logger LOG = LoggerFactory.getLogger(OperatorLifecycle.class);
  private final KubernetesClient client;
  private final RolloutProcessor processor;
  private final Optional<String> leaseNamespace;
  private final String watchNamespace;
  private Operator operator;

  public OperatorLifecycle(KubernetesClient client, RolloutProcessor processor,
      @Value("${slipway.leader-election.namespace:}") Optional<String> leaseNamespace,
      @Value("${slipway.watch-namespace:}") String watchNamespace) {
    this.client = client;
    this.processor = processor;
    this.leaseNamespace = leaseNamespace.filter(s -> !s.isBlank());
    this.watchNamespace = watchNamespace;
  }

  @EventListener
  void onStartup(StartupEvent e) {
    operator = new Operator(o -> {
      o.withKubernetesClient(client).withCloseClientOnStop(false);
      leaseNamespace.ifPresent(ns -> o.withLeaderElectionConfiguration(new LeaderElectionConfiguration("slipway-controller", ns)));
    });
    operator.register(new RolloutReconciler(processor), c -> {
      c.withName("rollout");
      // Manual requests arrive as status writes, which do not bump metadata.generation.
      c.withGenerationAware(false);
      c.withOnUpdateFilter(RolloutReconciler::worthReconciling);
      if (!watchNamespace.isBlank()) {
        c.settingNamespaces(watchNamespace.split(","));
      }
    });
    operator.start();
    LOG.info("slipway controller started (leader election: {}, namespaces: {})",
        leaseNamespace.map(ns -> "lease slipway-controller in " + ns).orElse("off"), watchNamespace.isBlank() ? "all" : watchNamespace);
  }

  @EventListener
  void onShutdown(ShutdownEvent e) {
    if (operator != null) {
      operator.stop();
    }
  }

  public boolean healthy() {
    return operator != null && operator.getRuntimeInfo().isStarted() && operator.getRuntimeInfo().allEventSourcesAreHealthy();
  }
}
