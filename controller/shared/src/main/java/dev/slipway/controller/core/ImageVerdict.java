package dev.slipway.controller.core;

import java.util.List;
import java.util.Map;

/**
 * What the edge found when it checked the desired revision's images against spec.imagePolicy.
 *
 * @param status Verified (every image signed, with the attestations asked for), Refused (an image
 *     is not pinned by digest, unsigned, signed by another key, or missing an attestation), or
 *     Unavailable (its registry could not be asked: never a pass either)
 * @param message which image, and why, for people
 * @param evidence per image: its reference, the key's fingerprint, the signature's and
 *     attestations' digests (what the record keeps)
 */
public record ImageVerdict(Status status, String message, List<Map<String, Object>> evidence) {
  public enum Status {
    Verified,
    Refused,
    Unavailable
  }

  public boolean verified() {
    return status == Status.Verified;
  }
}
