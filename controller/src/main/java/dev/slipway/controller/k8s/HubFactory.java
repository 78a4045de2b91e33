package dev.slipway.controller.k8s;

import dev.slipway.controller.evidence.EvidenceKeys;
import dev.slipway.controller.fleet.HubRecord;
import dev.slipway.controller.fleet.MemberRegistry;
import dev.slipway.controller.fleet.ReleaseReconciler;
import dev.slipway.controller.reconcile.EventRecorder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;

/**
 * The hub of fleet releases, on when slipway.hub.enabled is true (SLIPWAY_HUB_ENABLED): this
 * controller then also walks Releases over the member clusters registered beside them.
 */
@Factory
@Requires(property = "slipway.hub.enabled", value = "true")
class HubFactory {
  @Singleton
  @Bean(preDestroy = "close")
  ReleaseReconciler releaseReconciler(
      KubernetesClient client,
      Clock clock,
      @Value("${slipway.hub.member-timeout:5s}") Duration memberTimeout,
      @Value("${slipway.evidence.namespace:slipway-system}") String namespace,
      @Value("${slipway.evidence.key-secret:slipway-evidence-key}") String keySecret) {
    // The hub signs its record with the controller's evidence key (the same Secret).
    EvidenceKeys keys = ControllerFactory.evidenceKeys(client, namespace, keySecret);
    return new ReleaseReconciler(
        client,
        new MemberRegistry(client, memberTimeout),
        new EventRecorder(client, clock),
        new HubRecord(client, keys, clock),
        clock);
  }
}
