package dev.slipway.e2e.traffic;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPBackendRef;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteRule;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * What the stand-in data planes do in place of a gateway: the route's first rule's weights by
 * backend Service, each Service's selector to a revision hash, each hash to where it serves.
 */
final class RouteSplit {
  static final String HASH_LABEL = "slipway.dev/pod-template-hash";

  private RouteSplit() {}

  /**
   * Prometheus scrape configs for revisions' targets, labelled as a relabelled Kubernetes scrape
   * would be.
   */
  static String scrapeConfigs(String namespace, Map<String, List<String>> targetsByHash) {
    StringBuilder b = new StringBuilder("- job_name: sample-app\n  static_configs:\n");
    targetsByHash.forEach(
        (hash, targets) ->
            b.append("  - targets: ['")
                .append(String.join("', '", targets))
                .append("']\n")
                .append("    labels: {namespace: '")
                .append(namespace)
                .append("', slipway_pod_template_hash: '")
                .append(hash)
                .append("'}\n"));
    if (targetsByHash.isEmpty()) {
      b.append("  - targets: []\n");
    }
    return b.toString();
  }

  static LoadGenerator.Split read(
      KubernetesClient client,
      String namespace,
      String route,
      Function<String, List<String>> targetsOfHash) {
    HTTPRoute r = client.resources(HTTPRoute.class).inNamespace(namespace).withName(route).get();
    Map<String, Integer> weightByHash = new HashMap<>();
    Map<String, List<String>> targetsByHash = new HashMap<>();
    if (r == null || r.getSpec().getRules() == null || r.getSpec().getRules().isEmpty()) {
      return new LoadGenerator.Split(targetsByHash, weightByHash);
    }
    HTTPRouteRule rule = r.getSpec().getRules().get(0);
    for (HTTPBackendRef ref : rule.getBackendRefs()) {
      Service svc = client.services().inNamespace(namespace).withName(ref.getName()).get();
      String hash =
          svc == null || svc.getSpec().getSelector() == null
              ? null
              : svc.getSpec().getSelector().get(HASH_LABEL);
      List<String> targets = hash == null ? List.of() : targetsOfHash.apply(hash);
      if (targets.isEmpty()) continue;
      weightByHash.merge(hash, ref.getWeight() == null ? 1 : ref.getWeight(), Integer::sum);
      targetsByHash.put(hash, targets);
    }
    return new LoadGenerator.Split(targetsByHash, weightByHash);
  }
}
