package dev.slipway.controller.evidence;

import java.util.Map;
import java.util.Objects;

/**
 * An entry before it is chained: what it says, and what makes writing it idempotent.
 *
 * @param key the entry's idempotency key; with {@code recordWhenChanged}, the prefix of one
 * @param phase decision (persisted before its action), result (after), or observation
 * @param recordWhenChanged null: the key alone decides (an entry with that key is never written
 *     twice). Otherwise the name of a data field: the entry is recorded only when that field
 *     differs from the last entry of the same kind, under the key KEY/N/VALUE (the N-th change); a
 *     replay asking for the same value again is matched to the entry already there.
 */
public record EntryDraft(
    String key,
    String kind,
    String phase,
    Integer step,
    String at,
    Map<String, Object> data,
    String recordWhenChanged) {
  public static final String DECISION = "decision";
  public static final String RESULT = "result";
  public static final String OBSERVATION = "observation";

  public EntryDraft {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(phase, "phase");
    Objects.requireNonNull(at, "at");
    data = data == null ? Map.of() : data;
  }

  public EntryDraft(
      String key, String kind, String phase, Integer step, String at, Map<String, Object> data) {
    this(key, kind, phase, step, at, data, null);
  }

  /** The same draft under the key it was recorded with. */
  public EntryDraft keyed(String recordedKey) {
    return new EntryDraft(recordedKey, kind, phase, step, at, data, null);
  }
}
