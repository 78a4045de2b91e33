package dev.slipway.controller.evidence;

import dev.slipway.api.v1alpha1.Rollout;
import dev.slipway.api.v1alpha1.RolloutStatus;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The entry for steps edited while a canary is in flight: what they were, what they are, and where
 * the walk continues. Keyed by generation, so a replayed pass writes it once. Pure.
 */
final class StepsChanged {
  static final String KIND = "StepsChanged";

  private StepsChanged() {}

  static Targeted draft(Rollout r, RolloutStatus after, Object was, Object now, String at) {
    Long generation = r.getMetadata().getGeneration();
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("generation", generation);
    data.put("from", was);
    data.put("steps", now);
    data.put("continuesAt", after.step());
    data.put(
        "message",
        "steps edited mid-canary (generation "
            + generation
            + "): "
            + was
            + " -> "
            + now
            + (after.step() == null || after.step().isEmpty()
                ? ""
                : "; the walk continues at step " + after.step()));
    int attempt = after.attempt() == null ? 1 : after.attempt();
    return new Targeted(
        after.canaryRevision(),
        attempt,
        new EntryDraft(
            "steps/" + generation, KIND, EntryDraft.DECISION, after.currentStepIndex(), at, data));
  }
}
