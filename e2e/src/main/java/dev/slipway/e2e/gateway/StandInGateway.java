package dev.slipway.e2e.gateway;

import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteStatusBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ParentReference;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.RouteParentStatus;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.RouteParentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.List;

/**
 * Plays the Gateway controller for tests and the demo: marks every HTTPRoute parent Accepted at the
 * route's current generation, as a conformant gateway does once it has programmed the route. It
 * only writes route status through the API; it sends no traffic anywhere.
 */
public final class StandInGateway implements AutoCloseable {
  public static final String CONTROLLER = "slipway.dev/e2e-gateway";
  private final KubernetesClient client;
  private final Thread thread;
  private volatile boolean running = true;

  public StandInGateway(KubernetesClient client) {
    this.client = client;
    this.thread = new Thread(this::loop, "stand-in-gateway");
    thread.setDaemon(true);
    thread.start();
  }

  private void loop() {
    while (running) {
      try {
        for (HTTPRoute r : client.resources(HTTPRoute.class).inAnyNamespace().list().getItems()) {
          accept(r);
        }
        Thread.sleep(150);
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        // A conflict with a concurrent writer: the next tick sees fresh data.
      }
    }
  }

  private void accept(HTTPRoute route) {
    long gen =
        route.getMetadata().getGeneration() == null ? 1 : route.getMetadata().getGeneration();
    List<RouteParentStatus> parents = new ArrayList<>();
    boolean current =
        route.getStatus() != null
            && route.getStatus().getParents() != null
            && route.getStatus().getParents().size() == route.getSpec().getParentRefs().size();
    for (ParentReference p : route.getSpec().getParentRefs()) {
      parents.add(
          new RouteParentStatusBuilder()
              .withControllerName(CONTROLLER)
              .withParentRef(p)
              .withConditions(
                  new ConditionBuilder()
                      .withType("Accepted")
                      .withStatus("True")
                      .withReason("Accepted")
                      .withMessage("accepted by the stand-in gateway")
                      .withObservedGeneration(gen)
                      .withLastTransitionTime("2026-01-01T00:00:00Z")
                      .build())
              .build());
    }
    if (current) {
      current =
          route.getStatus().getParents().stream()
              .allMatch(
                  p ->
                      p.getConditions() != null
                          && p.getConditions().stream()
                              .anyMatch(
                                  c ->
                                      "Accepted".equals(c.getType())
                                          && Long.valueOf(gen).equals(c.getObservedGeneration())));
    }
    if (!current) {
      route.setStatus(new HTTPRouteStatusBuilder().withParents(parents).build());
      client.resources(HTTPRoute.class).resource(route).updateStatus();
    }
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
  }
}
