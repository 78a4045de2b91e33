package dev.slipway.controller.evidence;

import dev.slipway.api.v1alpha1.RecordEntry;
import java.nio.charset.StandardCharsets;
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

  /**
   * Checks sequence, links and hashes first (cheap), then signatures only up to the first entry
   * that failed those: the entry reported is the first bad one either way.
   */
  public static Result verify(List<RecordEntry> entries, PublicKey key) {
    String prev = Chain.GENESIS;
    Result structural = null;
    int limit = entries.size();
    for (int i = 0; i < entries.size(); i++) {
      RecordEntry e = entries.get(i);
      String why = structure(e, i, prev);
      if (why != null) {
        structural = Result.bad(i, e, why);
        limit = i;
        break;
      }
      prev = e.hash();
    }
    for (int i = 0; i < limit; i++) {
      RecordEntry e = entries.get(i);
      if (e.signature() == null || !canonicalBase64(e.signature())) {
        return Result.bad(i, e, "signature is not canonical base64");
      }
      if (!EvidenceKeys.verify(key, e.hash().getBytes(StandardCharsets.US_ASCII), e.signature())) {
        return Result.bad(i, e, "signature is not valid for key " + EvidenceKeys.keyId(key));
      }
    }
    return structural != null ? structural : Result.good(entries.size());
  }

  private static String structure(RecordEntry e, int i, String prev) {
    if (e == null) return "missing";
    if (e.seq() == null || e.seq() != i) return "sequence number " + e.seq() + " where " + i + " was expected";
    if (!prev.equals(e.prevHash())) return "does not link to the previous entry (prevHash differs)";
    if (!Chain.hashOf(e).equals(e.hash())) return "content does not match its hash";
    return null;
  }

  /** Base64 decoders ignore a final character's unused bits; the text must be exactly what was signed out. */
  static boolean canonicalBase64(String s) {
    try {
      return java.util.Base64.getEncoder().encodeToString(java.util.Base64.getDecoder().decode(s)).equals(s);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
