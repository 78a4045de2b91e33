package dev.slipway.controller.core;

import dev.slipway.api.v1alpha1.Condition;
import dev.slipway.api.v1alpha1.RolloutStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Kubernetes-style conditions: one per type, sorted by type, lastTransitionTime kept while the
 * status holds.
 */
public final class Conditions {
  /** An action the reconciler carried out failed; it sets this condition, and the core reads it. */
  public static final String ACTION_FAILED = "ActionFailed";

  private Conditions() {}

  public static List<Condition> with(
      List<Condition> current,
      String type,
      boolean status,
      String reason,
      String message,
      Instant now,
      Long generation) {
    String st = status ? "True" : "False";
    List<Condition> next = new ArrayList<>();
    String since = now.toString();
    for (Condition c : current == null ? List.<Condition>of() : current) {
      if (c.type().equals(type)) {
        if (c.status().equals(st)) {
          since = c.lastTransitionTime();
        }
      } else {
        next.add(c);
      }
    }
    next.add(new Condition(type, st, reason, message, since, generation));
    next.sort((a, b) -> a.type().compareTo(b.type()));
    return next;
  }

  /** The status without that condition; the same status when it has none. */
  public static RolloutStatus dropFrom(RolloutStatus s, String type) {
    if (s == null || s.conditionsOrEmpty().stream().noneMatch(c -> c.type().equals(type))) return s;
    RolloutStatus.Builder b = s.toBuilder();
    b.conditions = without(s.conditions(), type);
    return b.build();
  }

  /** Without that type; null when none is left, as an absent list is spelled in status. */
  public static List<Condition> without(List<Condition> current, String type) {
    if (current == null) return null;
    List<Condition> next = current.stream().filter(c -> !c.type().equals(type)).toList();
    return next.isEmpty() ? null : next;
  }
}
