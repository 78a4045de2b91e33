package dev.slipway.controller.evidence;

import java.util.Map;
import java.util.Objects;

/**
 * An entry before it is chained: what it says, and the key that makes writing it idempotent.
 *
 * @param phase decision (persisted before its action), result (after), or observation
 */
public record EntryDraft(String key, String kind, String phase, Integer step, String at, Map<String, Object> data) {
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
}
