package dev.slipway.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.PreserveUnknownFields;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import java.util.Map;

/**
 * One entry. {@code hash} is SHA-256 over the canonical JSON of every other field (prevHash and
 * canon included); {@code signature} is Ed25519 over the hash.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RecordEntry(
    @JsonPropertyDescription("Position in the revision attempt's chain, from 0.") Long seq,
    @JsonPropertyDescription("Idempotency key: an entry with the same key is never written twice.")
        String key,
    @JsonPropertyDescription(
            "What the entry records: RecordOpened, Transition, TransitionApplied, WeightSet, WeightWritten, WeightVerified, Measurement, ManualAction.")
        String kind,
    @JsonPropertyDescription("When, from the controller's clock (RFC 3339).") String at,
    @JsonPropertyDescription(
            "Whether it is a decision, persisted before the action it justifies, a result, persisted after, or an observation.")
        String phase,
    @JsonPropertyDescription("Canary step index, when the entry belongs to one.") Integer step,
    @PreserveUnknownFields
        @SchemaFrom(type = OpaqueObject.class)
        @JsonPropertyDescription("The evidence itself; its shape depends on kind.")
        Map<String, Object> data,
    @JsonPropertyDescription("Hash of the previous entry (hex); 64 zeros for the first.")
        String prevHash,
    @JsonPropertyDescription(
            "SHA-256 of this entry's canonical JSON without hash and signature (hex).")
        String hash,
    @JsonPropertyDescription("Ed25519 signature of the hash (base64).") String signature,
    @JsonPropertyDescription(
            "How the hashed JSON is spelled: 2 is RFC 8785 (JCS) after leaving out null members; absent (1) is the earlier form (sorted keys, nulls left out, integral numbers as integers). Part of what is hashed when present.")
        Integer canon) {

  /** The spelling of entries written from now on. */
  public static final int JCS = 2;

  /** Before canon existed: what records written by earlier controllers hold. */
  public RecordEntry(
      Long seq,
      String key,
      String kind,
      String at,
      String phase,
      Integer step,
      Map<String, Object> data,
      String prevHash,
      String hash,
      String signature) {
    this(seq, key, kind, at, phase, step, data, prevHash, hash, signature, null);
  }

  public int canonOrLegacy() {
    return canon == null ? 1 : canon;
  }
}
