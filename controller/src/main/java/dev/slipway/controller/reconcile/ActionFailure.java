package dev.slipway.controller.reconcile;

import dev.slipway.api.v1alpha1.Phase;
import dev.slipway.api.v1alpha1.RolloutStatus;
import dev.slipway.controller.core.Conditions;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.time.Instant;

/**
 * A step of a pass that failed (an API answer such as 422 or 403, or any exception), made visible
 * in the same pass: condition {@value #TYPE} with the API's own message, status.message, and for a
 * failure that retrying cannot fix (a rejected template, a missing right) phase Degraded, so Argo
 * CD shows it instead of a Rollout forever Progressing.
 *
 * @param what what we were doing, e.g. "creating ReplicaSet demo-7f9c"
 * @param code the HTTP status, or 0 when no API server answered (or it was not an API call)
 * @param reason a CamelCase reason: the API's (Invalid, Forbidden, NotFound…) or the exception's
 *     kind
 * @param detail the API's message, or the exception's
 */
public record ActionFailure(String what, int code, String reason, String detail) {
  static final String TYPE = Conditions.ACTION_FAILED;

  /** How soon a pass retries after a failure retrying may fix (5xx, 429, timeouts). */
  static final Duration TRANSIENT_RETRY = Duration.ofSeconds(10);

  /** After one it cannot: the next change of the Rollout wakes us anyway; this is the fallback. */
  static final Duration PERMANENT_RETRY = Duration.ofMinutes(2);

  static ActionFailure of(String what, RuntimeException e) {
    if (e instanceof KubernetesClientException k && k.getCode() > 0) {
      String reason =
          k.getStatus() != null
                  && k.getStatus().getReason() != null
                  && !k.getStatus().getReason().isBlank()
              ? k.getStatus().getReason()
              : "HTTP" + k.getCode();
      String msg =
          k.getStatus() != null && k.getStatus().getMessage() != null
              ? k.getStatus().getMessage()
              : k.getMessage();
      return new ActionFailure(what, k.getCode(), reason, bounded(msg));
    }
    return new ActionFailure(
        what, 0, e.getClass().getSimpleName(), bounded(String.valueOf(e.getMessage())));
  }

  /**
   * 4xx but conflicts, throttling and timeouts: the input or the rights are wrong, not the moment.
   */
  boolean permanent() {
    return code >= 400 && code < 500 && code != 408 && code != 409 && code != 429;
  }

  String message() {
    return what
        + " failed: "
        + (code > 0 ? "HTTP " + code + " " + reason + ": " : reason + ": ")
        + detail;
  }

  Duration retry() {
    return permanent() ? PERMANENT_RETRY : TRANSIENT_RETRY;
  }

  /** The decided status (or, when deciding failed, the last one), with the failure on it. */
  RolloutStatus mark(RolloutStatus base, Instant now, long generation) {
    RolloutStatus.Builder b = (base == null ? RolloutStatus.empty() : base).toBuilder();
    b.observedGeneration = generation;
    b.message = message();
    b.conditions = Conditions.with(b.conditions, TYPE, true, reason, b.message, now, generation);
    if (permanent()) {
      b.phase = Phase.Degraded;
    }
    return b.build();
  }

  /** A pass whose actions all went through: the condition, if any, goes. */
  static RolloutStatus clear(RolloutStatus s) {
    return Conditions.dropFrom(s, TYPE);
  }

  private static String bounded(String s) {
    String one = s == null ? "" : s.replaceAll("\\p{Cntrl}", " ").strip();
    return one.length() > 512 ? one.substring(0, 509) + "..." : one;
  }
}
