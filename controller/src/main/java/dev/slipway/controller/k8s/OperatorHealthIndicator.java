package dev.slipway.controller.k8s;

import io.micronaut.context.annotation.Requires;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import jakarta.inject.Singleton;
import java.util.Map;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

/** /health is UP only while the operator runs and every informer is healthy. */
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
    return Mono.just(HealthResult.builder("slipway-operator", ok ? HealthStatus.UP : HealthStatus.DOWN)
        .details(Map.of("informers", ok ? "healthy" : "not started or unhealthy")).build());
  }
}
