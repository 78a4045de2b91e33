package dev.slipway.controller.evidence;

import dev.slipway.api.v1alpha1.RecordEntry;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.util.Base64;

/**
 * The one check of a chain, an entry at a time, in constant memory. Each state is immutable: {@link
 * #accept} returns the state after one more good entry, or a failure naming that entry. Verifying a
 * record is folding its entries through it; a JSONL export, its lines.
 */
public record LineVerifier(PublicKey key, int index, String prevHash) {

  public static LineVerifier start(PublicKey key) {
    return new LineVerifier(key, 0, Chain.GENESIS);
  }

  /**
   * One JSONL line: it must parse and be exactly its canonical form, so no byte can change
   * unnoticed.
   */
  public Object next(String line) {
    RecordEntry e;
    try {
      e = parse(line);
    } catch (IllegalArgumentException ex) {
      return Verifier.Result.bad(index, null, ex.getMessage());
    }
    return accept(e);
  }

  /** The state after entry {@code e}, or a failed result for entry {@link #index}. */
  public Object accept(RecordEntry e) {
    if (e == null) return fail(null, "missing");
    if (e.seq() == null || e.seq() != index)
      return fail(e, "sequence number " + e.seq() + " where " + index + " was expected");
    if (!prevHash.equals(e.prevHash()))
      return fail(e, "does not link to the previous entry (prevHash differs)");
    if (!Chain.hashOf(e).equals(e.hash())) return fail(e, "content does not match its hash");
    if (e.signature() == null || !canonicalBase64(e.signature()))
      return fail(e, "signature is not canonical base64");
    if (!EvidenceKeys.verify(key, e.hash().getBytes(StandardCharsets.US_ASCII), e.signature())) {
      return fail(e, "signature is not valid for key " + EvidenceKeys.keyId(key));
    }
    return new LineVerifier(key, index + 1, e.hash());
  }

  /** A JSONL line as an entry; refuses anything that is not exactly the entry's canonical JSON. */
  static RecordEntry parse(String line) {
    RecordEntry e;
    try {
      e = Canonical.JSON.readValue(line, RecordEntry.class);
    } catch (Exception ex) {
      throw new IllegalArgumentException("not valid JSON");
    }
    if (!Canonical.string(e, e.canonOrLegacy()).equals(line)) {
      throw new IllegalArgumentException("not in canonical form (the line was altered)");
    }
    return e;
  }

  /** The hash a JSONL line claims, or null when it is not an entry. */
  public static String parseHash(String line) {
    try {
      return parse(line).hash();
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private Verifier.Result fail(RecordEntry e, String why) {
    return Verifier.Result.bad(index, e, why);
  }

  /**
   * Base64 decoders ignore a final character's unused bits; the text must be exactly what was
   * signed.
   */
  private static boolean canonicalBase64(String s) {
    try {
      return Base64.getEncoder().encodeToString(Base64.getDecoder().decode(s)).equals(s);
    } catch (IllegalArgumentException e) {
      return false;
    }
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
