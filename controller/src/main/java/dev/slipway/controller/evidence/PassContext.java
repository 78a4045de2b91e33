package dev.slipway.controller.evidence;

import dev.slipway.api.v1alpha1.Rollout;
import dev.slipway.api.v1alpha1.RolloutStatus;
import dev.slipway.controller.core.Decision;
import dev.slipway.controller.core.Observations;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Everything one reconcile pass knows that evidence may need.
 *
 * @param before the status read at the start of the pass
 * @param controller who the controller is (its authenticated user name)
 * @param images image references and digests of a revision's pods, looked up only when an entry needs them
 */
public record PassContext(
    Rollout rollout,
    RolloutStatus before,
    Observations observations,
    Decision decision,
    Instant now,
    String controller,
    Function<String, List<Map<String, Object>>> images) {}
