package dev.slipway.e2e;

import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.util.List;

/**
 * Every weight a route's first rule ever carried, "stable/canary", each change once: a watch sees a
 * short step that polling could miss. Shared by the tests that assert the sequence of weights.
 */
public final class RouteWeights {
  private RouteWeights() {}

  /** Appends each new weight to {@code into} (a synchronized list) until the watch is closed. */
  public static Watch watch(KubernetesClient client, String ns, String route, List<String> into) {
    return client
        .resources(HTTPRoute.class)
        .inNamespace(ns)
        .withName(route)
        .watch(
            new Watcher<>() {
              @Override
              public void eventReceived(Action action, HTTPRoute r) {
                var refs = r.getSpec().getRules().get(0).getBackendRefs();
                String w = refs.get(0).getWeight() + "/" + refs.get(1).getWeight();
                if (into.isEmpty() || !into.get(into.size() - 1).equals(w)) {
                  into.add(w);
                }
              }

              @Override
              public void onClose(WatcherException e) {}
            });
  }
}
