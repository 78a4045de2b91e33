package dev.slipway.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value =
        "self.rollout == oldSelf.rollout && self.revision == oldSelf.revision && self.attempt == oldSelf.attempt"
            + " && self.part == oldSelf.part && size(self.entries) >= size(oldSelf.entries)",
    message =
        "a RolloutRecord is append-only: its identity never changes and entries are never removed")
public record RolloutRecordSpec(
    @Required @JsonPropertyDescription("Name of the Rollout.") String rollout,
    @JsonPropertyDescription("UID of the Rollout.") String rolloutUid,
    @Required @JsonPropertyDescription("Pod-template hash of the revision.") String revision,
    @Required
        @JsonPropertyDescription("Attempt number of the revision: 1, then one more per retry.")
        Integer attempt,
    @Required @JsonPropertyDescription("Part number, from 0; a full part continues in the next.")
        Integer part,
    @JsonPropertyDescription("SHA-256 of the Ed25519 public key that signed the entries (hex).")
        String keyId,
    @Size(max = 512) @JsonPropertyDescription("The entries, in order.") List<RecordEntry> entries,
    @JsonPropertyDescription(
            "On the attempt's last part: a DSSE envelope, signed by the controller's key, of an in-toto Statement whose subject is the attempt's head hash (which commits to every entry before it). `kubectl slipway evidence export --format intoto` returns it.")
        DsseEnvelope attestation) {

  public RolloutRecordSpec(
      String rollout,
      String rolloutUid,
      String revision,
      Integer attempt,
      Integer part,
      String keyId,
      List<RecordEntry> entries) {
    this(rollout, rolloutUid, revision, attempt, part, keyId, entries, null);
  }

  public List<RecordEntry> entriesOrEmpty() {
    return entries == null ? List.of() : entries;
  }
}
