package dev.slipway.controller.evidence;

import dev.slipway.api.v1alpha1.RecordEntry;
import dev.slipway.controller.kube.Sha256;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** Hash-chains and signs entries. Pure apart from the signature's randomness-free Ed25519 math. */
public final class Chain {
  public static final String GENESIS = "0".repeat(64);

  private Chain() {}

  public static RecordEntry seal(EntryDraft d, long seq, String prevHash, EvidenceKeys keys) {
    RecordEntry unsigned =
        new RecordEntry(
            seq,
            d.key(),
            d.kind(),
            d.at(),
            d.phase(),
            d.step(),
            d.data(),
            prevHash,
            null,
            null,
            RecordEntry.JCS);
    String hash = hashOf(unsigned);
    return new RecordEntry(
        seq,
        d.key(),
        d.kind(),
        d.at(),
        d.phase(),
        d.step(),
        d.data(),
        prevHash,
        hash,
        keys.sign(hash.getBytes(StandardCharsets.US_ASCII)),
        RecordEntry.JCS);
  }

  /** SHA-256 (hex) of the canonical JSON of every field but hash and signature. */
  public static String hashOf(RecordEntry e) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("seq", e.seq());
    body.put("key", e.key());
    body.put("kind", e.kind());
    body.put("at", e.at());
    body.put("phase", e.phase());
    body.put("step", e.step());
    body.put("data", e.data());
    body.put("prevHash", e.prevHash());
    // canon is hashed too, so an entry cannot be made to verify under the other spelling.
    body.put("canon", e.canon());
    return Sha256.hex(Canonical.bytes(body, e.canonOrLegacy()));
  }
}
