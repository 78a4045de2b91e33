package dev.slipway.controller.k8s;

import io.micronaut.context.annotation.Requires;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import jakarta.inject.Singleton;
import java.util.LinkedHashMap;
import java.util.Map;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

/**
 * /health is UP while the operator runs and, on the leader, every informer is healthy; it names the
 * lease holder.
 */
@Singleton
@Requires(beans = OperatorLifecycle.class)
public class OperatorHealthIndicator implements HealthIndicator {
  private final OperatorLifecycle lifecycle;

  public OperatorHealthIndicator(OperatorLifecycle lifecycle) {
    this.lifecycle = lifecycle;
  }

  @Override
  public Publisher<HealthResult> getResult() {
    boolean ok = lifecycle.healthy();
    Map<String, Object> details = new LinkedHashMap<>();
    details.put(
        "informers",
        !ok
            ? "not started or unhealthy"
            : lifecycle.standby() ? "standby: informers warm, not reconciling" : "healthy");
    lifecycle
        .election()
        .ifPresent(
            le -> {
              details.put("identity", le.identity());
              details.put("leading", lifecycle.leads());
              details.put("leader", le.leader());
            });
    return Mono.just(
        HealthResult.builder("slipway-operator", ok ? HealthStatus.UP : HealthStatus.DOWN)
            .details(details)
            .build());
  }
}
