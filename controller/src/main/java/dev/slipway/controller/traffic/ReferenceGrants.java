package dev.slipway.controller.traffic;

import io.fabric8.kubernetes.api.model.gatewayapi.v1beta1.ReferenceGrant;
import io.fabric8.kubernetes.api.model.gatewayapi.v1beta1.ReferenceGrantFrom;
import io.fabric8.kubernetes.api.model.gatewayapi.v1beta1.ReferenceGrantTo;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.List;

/**
 * Namespaces are boundaries: a Rollout writes an HTTPRoute outside its own namespace only when a
 * Gateway API ReferenceGrant in the route's namespace lets Rollouts of its namespace do so (from:
 * group slipway.dev, kind Rollout, namespace; to: group gateway.networking.k8s.io, kind HTTPRoute
 * or GRPCRoute, optionally by name). The owner of the target namespace decides, not the Rollout's
 * author: otherwise the controller's rights would be lent to anyone who can create a Rollout.
 */
final class ReferenceGrants {
  static final String FROM_GROUP = "slipway.dev";
  static final String FROM_KIND = "Rollout";
  static final String TO_GROUP = "gateway.networking.k8s.io";
  static final String TO_KIND = "HTTPRoute";
  static final String TO_GRPC_KIND = "GRPCRoute";

  private ReferenceGrants() {}

  /** Null when granted, else why not, for the Rollout's condition. */
  static String refusal(
      KubernetesClient client, String fromNamespace, String routeNamespace, String route) {
    return refusal(client, TO_KIND, fromNamespace, routeNamespace, route);
  }

  /** For a route of {@code kind} (HTTPRoute or GRPCRoute). */
  static String refusal(
      KubernetesClient client,
      String kind,
      String fromNamespace,
      String routeNamespace,
      String route) {
    if (fromNamespace.equals(routeNamespace)) {
      return null;
    }
    List<ReferenceGrant> grants;
    try {
      grants = client.resources(ReferenceGrant.class).inNamespace(routeNamespace).list().getItems();
    } catch (KubernetesClientException e) {
      return kind
          + " "
          + routeNamespace
          + "/"
          + route
          + " is in another namespace and its ReferenceGrants could not be read (HTTP "
          + e.getCode()
          + ")";
    }
    return grants.stream().anyMatch(g -> allows(g, kind, fromNamespace, route))
        ? null
        : kind
            + " "
            + routeNamespace
            + "/"
            + route
            + " is in another namespace and no ReferenceGrant there lets Rollouts from "
            + fromNamespace
            + " manage it";
  }

  static boolean allows(ReferenceGrant g, String fromNamespace, String route) {
    return allows(g, TO_KIND, fromNamespace, route);
  }

  static boolean allows(ReferenceGrant g, String kind, String fromNamespace, String route) {
    if (g.getSpec() == null || g.getSpec().getFrom() == null || g.getSpec().getTo() == null) {
      return false;
    }
    boolean from = false;
    for (ReferenceGrantFrom f : g.getSpec().getFrom()) {
      from |=
          FROM_GROUP.equals(f.getGroup())
              && FROM_KIND.equals(f.getKind())
              && fromNamespace.equals(f.getNamespace());
    }
    if (!from) {
      return false;
    }
    for (ReferenceGrantTo t : g.getSpec().getTo()) {
      if (TO_GROUP.equals(t.getGroup())
          && kind.equals(t.getKind())
          && (t.getName() == null || t.getName().isEmpty() || route.equals(t.getName()))) {
        return true;
      }
    }
    return false;
  }
}
