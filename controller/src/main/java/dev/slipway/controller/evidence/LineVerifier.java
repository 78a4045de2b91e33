package dev.slipway.controller.evidence;

import dev.slipway.api.v1alpha1.RecordEntry;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;

/**
 * Verifies a JSONL export one line at a time, in constant memory. Each state is immutable: {@link
 * #next} returns the state after one more good entry, or a failure naming that entry. Verifying
 * a file is folding its lines through it.
 */
public record LineVerifier(PublicKey key, int index, String prevHash) {

  public static LineVerifier start(PublicKey key) {
    return new LineVerifier(key, 0, Chain.GENESIS);
  }

  /** The state after {@code line}, or a failed result for entry {@link #index}. */
  public Object next(String line) {
    RecordEntry e;
    try {
      e = Canonical.JSON.readValue(line, RecordEntry.class);
    } catch (Exception ex) {
      return fail(null, "not valid JSON");
    }
    if (!Canonical.string(e).equals(line)) return fail(e, "not in canonical form (the line was altered)");
    if (e.seq() == null || e.seq() != index) return fail(e, "sequence number " + e.seq() + " where " + index + " was expected");
    if (!prevHash.equals(e.prevHash())) return fail(e, "does not link to the previous entry (prevHash differs)");
    if (!Chain.hashOf(e).equals(e.hash())) return fail(e, "content does not match its hash");
    if (e.signature() == null || !Verifier.canonicalBase64(e.signature())) return fail(e, "signature is not canonical base64");
    if (!EvidenceKeys.verify(key, e.hash().getBytes(StandardCharsets.US_ASCII), e.signature())) {
      return fail(e, "signature is not valid for key " + EvidenceKeys.keyId(key));
    }
    return new LineVerifier(key, index + 1, e.hash());
  }

  private Verifier.Result fail(RecordEntry e, String why) {
    return Verifier.Result.bad(index, e, why);
  }

  /** Folds every non-empty line through; the first failure ends it. */
  public static Verifier.Result verify(String jsonl, PublicKey key) {
    LineVerifier state = start(key);
    for (String line : jsonl.split("\n", -1)) {
      if (line.isEmpty()) continue;
      Object next = state.next(line);
      if (next instanceof Verifier.Result bad) return bad;
      state = (LineVerifier) next;
    }
    return Verifier.Result.good(state.index());
  }
}
