package dev.slipway.controller.core.fleet;

import java.util.Map;

/**
 * An entry the hub's own record owes for this pass's decision: a wave opened or passed (with the
 * member record heads it verified), a halt (with the failing member's head), a request handled, the
 * release done. {@code key} makes it idempotent: a pass decided again after a crash writes it once.
 */
public record RecordNote(String key, String kind, Map<String, Object> data) {
  public RecordNote {
    data = Map.copyOf(data);
  }
}
