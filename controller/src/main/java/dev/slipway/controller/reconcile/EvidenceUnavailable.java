package dev.slipway.controller.reconcile;

import dev.slipway.api.v1alpha1.RolloutStatus;
import dev.slipway.controller.core.Conditions;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.time.Instant;

/**
 * The status of a Rollout whose decision could not be recorded: unchanged, except for saying why.
 */
final class EvidenceUnavailable {
  static final String TYPE = "EvidenceUnavailable";
  static final Duration RETRY = Duration.ofSeconds(10);

  private EvidenceUnavailable() {}

  static RolloutStatus mark(
      RolloutStatus before, KubernetesClientException e, Instant now, Long generation) {
    RolloutStatus.Builder b = (before == null ? RolloutStatus.empty() : before).toBuilder();
    String cause =
        e.getCode() > 0 && e.getStatus() != null
            ? "HTTP " + e.getCode() + ": " + e.getStatus().getMessage()
            : String.valueOf(e.getMessage());
    if (cause.length() > 300) cause = cause.substring(0, 300) + "…";
    b.message =
        "waiting: the evidence record could not be written, so nothing was changed (" + cause + ")";
    b.conditions =
        Conditions.with(b.conditions, TYPE, true, "RecordWriteFailed", b.message, now, generation);
    return b.build();
  }

  /** A pass whose decision was recorded: the condition, if any, goes. */
  static RolloutStatus clear(RolloutStatus s) {
    return Conditions.dropFrom(s, TYPE);
  }
}
