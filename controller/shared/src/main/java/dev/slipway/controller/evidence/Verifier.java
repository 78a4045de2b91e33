package dev.slipway.controller.evidence;

import dev.slipway.api.v1alpha1.RecordEntry;
import java.security.PublicKey;
import java.util.List;

/**
 * Recomputes a record's chain and checks every signature. Pure. Reports the first entry that does
 * not hold, by position and key, so an auditor knows where the record was changed.
 */
public final class Verifier {
  private Verifier() {}

  public record Result(boolean ok, int badIndex, String message) {
    public static Result good(int n) {
      return new Result(true, -1, n + " entries verified: chain intact, every signature valid");
    }

    public static Result bad(int i, RecordEntry e, String why) {
      String key = e == null || e.key() == null ? "" : " (" + e.key() + ")";
      return new Result(false, i, "entry " + i + key + ": " + why);
    }
  }

  public static Result verify(List<RecordEntry> entries, PublicKey key) {
    LineVerifier state = LineVerifier.start(key);
    for (RecordEntry e : entries) {
      Object next = state.accept(e);
      if (next instanceof Result bad) return bad;
      state = (LineVerifier) next;
    }
    return Result.good(state.index());
  }
}
