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
    static Result good(int n) {
      return new Result(true, -1, n + " entries verified: chain intact, every signature valid");
    }

    static Result bad(int i, RecordEntry e, String why) {
      String key = e == null || e.key() == null ? "" : " (" + e.key() + ")";
      return new Result(false, i, "entry " + i + key + ": " + why);
    }
  }

  public static Result verify(List<RecordEntry> entries, PublicKey key) {
    String prev = Chain.GENESIS;
    for (int i = 0; i < entries.size(); i++) {
      RecordEntry e = entries.get(i);
      if (e == null) return Result.bad(i, null, "missing");
      if (e.seq() == null || e.seq() != i) return Result.bad(i, e, "sequence number " + e.seq() + " where " + i + " was expected");
      if (!prev.equals(e.prevHash())) return Result.bad(i, e, "does not link to the previous entry (prevHash differs)");
      String hash = Chain.hashOf(e);
      if (!hash.equals(e.hash())) return Result.bad(i, e, "content does not match its hash");
      if (e.signature() == null || !canonicalBase64(e.signature())) {
        return Result.bad(i, e, "signature is not canonical base64");
      }
      if (!EvidenceKeys.verify(key, hash.getBytes(StandardCharsets.US_ASCII), e.signature())) {
        return Result.bad(i, e, "signature is not valid for key " + EvidenceKeys.keyId(key));
      }
      prev = e.hash();
    }
    return Result.good(entries.size());
  }

  /** Base64 decoders ignore a final character's unused bits; the text must be exactly what was signed out. */
  private static boolean canonicalBase64(String s) {
    try {
      return java.util.Base64.getEncoder().encodeToString(java.util.Base64.getDecoder().decode(s)).equals(s);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
