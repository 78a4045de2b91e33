package dev.slipway.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/** A Dead Simple Signing Envelope (DSSE v1), as in-toto attestations are carried. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DsseEnvelope(
    @JsonPropertyDescription("The payload's media type: application/vnd.in-toto+json.")
        String payloadType,
    @JsonPropertyDescription("The payload (an in-toto Statement), base64.") String payload,
    @JsonPropertyDescription(
            "Signatures over DSSE's pre-authentication encoding of payloadType and payload.")
        List<DsseSignature> signatures) {

  /**
   * One signature: the key's id (SHA-256 of the public key, hex) and the Ed25519 signature, base64.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record DsseSignature(
      @JsonPropertyDescription("SHA-256 of the Ed25519 public key (hex).") String keyid,
      @JsonPropertyDescription("Ed25519 signature, base64.") String sig) {}
}
