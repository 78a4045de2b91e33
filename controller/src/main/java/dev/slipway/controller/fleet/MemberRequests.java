package dev.slipway.controller.fleet;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slipway.api.v1alpha1.Rollout;
import dev.slipway.controller.core.fleet.FleetAction;
import dev.slipway.controller.kube.Identity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.Map;

/**
 * Sends the hub's requests to member Rollouts: the same status-subresource merge patch a release
 * engineer's one-liner sends, so nothing the hub does is GitOps drift, and a member grants the hub
 * no more than {@code patch rollouts/status}. The request names the hub as the member's API server
 * knows it (its user there, as a SelfSubjectReview says): a member that binds requestedBy to the
 * caller (the chart's slipway-requested-by policy) refuses any other name. The field manager,
 * slipway-hub, says the same in managedFields.
 */
public final class MemberRequests {
  public static final String FIELD_MANAGER = "slipway-hub";
  private static final ObjectMapper JSON = new ObjectMapper();

  private MemberRequests() {}

  /** The patch for an action, naming who asks (null: nobody, as the plain one-liner). */
  public static String patch(FleetAction a, String requestedBy) {
    String action = a instanceof FleetAction.Resume ? "Resume" : "Abort";
    try {
      Map<String, Object> request = new java.util.LinkedHashMap<>();
      request.put("action", action);
      if (requestedBy != null) request.put("requestedBy", requestedBy);
      return JSON.writeValueAsString(Map.of("status", Map.of("request", request)));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  public static void send(KubernetesClient member, FleetAction a) {
    String who = Identity.of(member);
    member
        .resources(Rollout.class)
        .inNamespace(a.namespace())
        .withName(a.rollout())
        .subresource("status")
        .patch(
            new PatchContext.Builder()
                .withPatchType(PatchType.JSON_MERGE)
                .withFieldManager(FIELD_MANAGER)
                .build(),
            patch(a, "unknown".equals(who) ? null : who));
  }
}
