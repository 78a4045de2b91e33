package dev.slipway.controller.dora;

import dev.slipway.api.v1alpha1.RecordEntry;
import dev.slipway.controller.evidence.VerifiedAttempts;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;

/**
 * What DORA needs from one revision attempt's verified record: when it opened, the commit time its
 * Rollout carried (annotation slipway.dev/commit-time, kept in RecordOpened's provenance), and when
 * it became Stable or RolledBack (its Transition entries).
 */
public record Attempt(
    String namespace,
    String rollout,
    String revision,
    int attempt,
    Instant openedAt,
    Instant commitTime,
    Instant stableAt,
    Instant rolledBackAt) {
  public static final String COMMIT_TIME = "slipway.dev/commit-time";

  public static Attempt of(VerifiedAttempts.Verified v) {
    return of(v.namespace(), v.rollout(), v.revision(), v.attempt(), v.entries());
  }

  /** Reads the entries in order; a later Stable or RolledBack never replaces the first. */
  public static Attempt of(
      String namespace, String rollout, String revision, int attempt, List<RecordEntry> entries) {
    Instant opened = null;
    Instant commit = null;
    Instant stable = null;
    Instant rolledBack = null;
    for (RecordEntry e : entries) {
      Map<String, Object> data = e.data() == null ? Map.of() : e.data();
      if ("RecordOpened".equals(e.kind()) && opened == null) {
        opened = instant(e.at());
        if (data.get("provenance") instanceof Map<?, ?> p
            && p.get(COMMIT_TIME) instanceof String t) {
          commit = instant(t);
        }
      } else if ("Transition".equals(e.kind())) {
        Object to = data.get("to");
        if ("Stable".equals(to) && stable == null) {
          stable = instant(e.at());
        } else if ("RolledBack".equals(to) && rolledBack == null) {
          rolledBack = instant(e.at());
        }
      }
    }
    return new Attempt(namespace, rollout, revision, attempt, opened, commit, stable, rolledBack);
  }

  /** The commit time a Rollout carries, or null (absent or malformed). */
  public static Instant commitTime(Map<String, String> annotations) {
    return annotations == null ? null : instant(annotations.get(COMMIT_TIME));
  }

  /**
   * A malformed time is absent, not a failure: the figure that needs it leaves this attempt out.
   */
  private static Instant instant(String s) {
    try {
      return s == null ? null : Instant.parse(s);
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
