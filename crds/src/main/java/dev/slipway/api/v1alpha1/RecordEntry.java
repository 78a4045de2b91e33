package dev.slipway.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.PreserveUnknownFields;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import java.util.Map;

/**
 * One entry. {@code hash} is SHA-256 over the canonical JSON of every other field (prevHash
 * included); {@code signature} is Ed25519 over the hash.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RecordEntry(
    @JsonPropertyDescription("Position in the revision attempt's chain, from 0.") Long seq,
    @JsonPropertyDescription("Idempotency key: an entry with the same key is never written twice.") String key,
    @JsonPropertyDescription("What the entry records: RecordOpened, Transition, TransitionApplied, WeightSet, WeightWritten, WeightVerified, Measurement, ManualAction.") String kind,
    @JsonPropertyDescription("When, from the controller's clock (RFC 3339).") String at,
    @JsonPropertyDescription("Whether it is a decision, persisted before the action it justifies, a result, persisted after, or an observation.") String phase,
    @JsonPropertyDescription("Canary step index, when the entry belongs to one.") Integer step,
    @PreserveUnknownFields
    @SchemaFrom(type = OpaqueObject.class)
    @JsonPropertyDescription("The evidence itself; its shape depends on kind.")
    Map<String, Object> data,
    @JsonPropertyDescription("Hash of the previous entry (hex); 64 zeros for the first.") String prevHash,
    @JsonPropertyDescription("SHA-256 of this entry's canonical JSON without hash and signature (hex).") String hash,
    @JsonPropertyDescription("Ed25519 signature of the hash (base64).") String signature) {}
