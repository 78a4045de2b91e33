package dev.slipway.controller.evidence;

import dev.slipway.api.v1alpha1.Rollout;
import dev.slipway.api.v1alpha1.RolloutStatus;
import dev.slipway.controller.core.Decision;
import dev.slipway.controller.core.Observations;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Everything one reconcile pass knows that evidence may need, as data: drafting entries from it is
 * pure.
 *
 * @param before the status read at the start of the pass
 * @param controller who the controller is (its authenticated user name)
 * @param images image references and digests of the pods of the revisions that need them ({@link
 *     EvidenceDrafts#imageRevisions}), by revision
 */
public record PassContext(
    Rollout rollout,
    RolloutStatus before,
    Observations observations,
    Decision decision,
    Instant now,
    String controller,
    Map<String, List<Map<String, Object>>> images) {

  /** What the reconciler knows; the recorder adds who it is and the pods' images. */
  public static PassContext of(
      Rollout rollout,
      RolloutStatus before,
      Observations observations,
      Decision decision,
      Instant now) {
    return new PassContext(rollout, before, observations, decision, now, null, Map.of());
  }

  PassContext with(String controller, Map<String, List<Map<String, Object>>> images) {
    return new PassContext(
        rollout, before, observations, decision, now, controller, Map.copyOf(images));
  }
}
