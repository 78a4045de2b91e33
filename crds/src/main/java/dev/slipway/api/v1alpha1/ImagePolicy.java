package dev.slipway.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/**
 * What a new revision's images must prove before any of their pods run: a cosign signature by one
 * of these keys and, optionally, signed attestations of these types.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "self.publicKeys.all(k, k.startsWith('-----BEGIN PUBLIC KEY-----'))",
    message = "imagePolicy.publicKeys: each is a PEM public key (-----BEGIN PUBLIC KEY-----)",
    fieldPath = ".publicKeys")
public record ImagePolicy(
    @Required
        @Size(min = 1, max = 8)
        @JsonPropertyDescription(
            "Cosign public keys (PEM; ECDSA P-256 as cosign generate-key-pair makes, RSA or Ed25519): an image verifies when a signature by any one of them covers its digest. Public keys are not secrets: keep them in Git beside the Rollout.")
        List<String> publicKeys,
    @Size(max = 4)
        @JsonPropertyDescription(
            "Attestations each image must also carry, signed by the same keys, by cosign's type name: cyclonedx or spdxjson (an SBOM), slsaprovenance or slsaprovenance1 (provenance), vuln. Their digests are recorded with the signature's.")
        List<AttestationType> attestations) {

  /** Cosign's attestation type names, and the in-toto predicate types they stand for. */
  public enum AttestationType {
    cyclonedx("https://cyclonedx.org/bom"),
    spdxjson("https://spdx.dev/Document"),
    slsaprovenance("https://slsa.dev/provenance/v0.2"),
    slsaprovenance1("https://slsa.dev/provenance/v1"),
    vuln("https://cosign.sigstore.dev/attestation/vuln/v1");

    private final String predicateType;

    AttestationType(String predicateType) {
      this.predicateType = predicateType;
    }

    public String predicateType() {
      return predicateType;
    }
  }

  public List<AttestationType> attestationsOrEmpty() {
    return attestations == null ? List.of() : attestations;
  }
}
