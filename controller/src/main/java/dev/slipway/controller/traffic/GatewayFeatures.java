package dev.slipway.controller.traffic;

import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayClass;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ParentReference;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.SupportedFeature;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.List;

/**
 * Whether a route's Gateways support an Extended feature, from their GatewayClass's
 * status.supportedFeatures (GEP-2162).
 *
 * <p>Why ask: a gateway that does not implement a filter may still accept the route and answer
 * every request of the rule with a 500 (Traefik v3.6 does this for RequestMirror). A class that
 * publishes no list, or that we may not read, is taken at its word: the list is optional.
 */
final class GatewayFeatures {
  static final String PERCENTAGE_MIRROR = "HTTPRouteRequestPercentageMirror";
  static final String MIRROR = "HTTPRouteRequestMirror";

  private GatewayFeatures() {}

  /** Why {@code feature} is known to be unsupported by a parent of the route, or null. */
  static String lacking(KubernetesClient client, HTTPRoute route, String feature) {
    if (route.getSpec() == null || route.getSpec().getParentRefs() == null) {
      return null;
    }
    for (ParentReference p : route.getSpec().getParentRefs()) {
      boolean gateway =
          (p.getKind() == null || "Gateway".equals(p.getKind()))
              && (p.getGroup() == null || "gateway.networking.k8s.io".equals(p.getGroup()));
      if (!gateway) {
        continue;
      }
      String ns = p.getNamespace() != null ? p.getNamespace() : route.getMetadata().getNamespace();
      try {
        Gateway gw = client.resources(Gateway.class).inNamespace(ns).withName(p.getName()).get();
        if (gw == null || gw.getSpec() == null) {
          continue;
        }
        GatewayClass gc =
            client.resources(GatewayClass.class).withName(gw.getSpec().getGatewayClassName()).get();
        List<SupportedFeature> features =
            gc == null || gc.getStatus() == null ? null : gc.getStatus().getSupportedFeatures();
        if (features == null || features.isEmpty()) {
          continue;
        }
        if (features.stream().noneMatch(f -> feature.equals(f.getName()))) {
          return "GatewayClass "
              + gc.getMetadata().getName()
              + " (of Gateway "
              + ns
              + "/"
              + p.getName()
              + ") does not list "
              + feature
              + " in status.supportedFeatures";
        }
      } catch (KubernetesClientException e) {
        if (e.getCode() != 403 && e.getCode() != 404) {
          throw e;
        }
      }
    }
    return null;
  }
}
