package dev.slipway.controller.evidence;

/**
 * The head of an attempt's record as the Rollout's status.evidenceHead names it:
 * REVISION/aATTEMPT#SEQ:HASH. Written by the store, read by the verifier and by the recorder (which
 * batch a status write confirmed).
 */
public record EvidenceHead(String revision, int attempt, long seq, String hash) {

  /** The attempt as records are grouped: REVISION/aATTEMPT. */
  public String attemptKey() {
    return revision + "/a" + attempt;
  }

  @Override
  public String toString() {
    return attemptKey() + "#" + seq + ":" + hash;
  }

  /** Null when the text is not a head. */
  public static EvidenceHead parse(String text) {
    if (text == null) return null;
    int hashAt = text.indexOf('#');
    int colon = text.indexOf(':', Math.max(hashAt, 0));
    int slash = hashAt < 0 ? -1 : text.lastIndexOf("/a", hashAt);
    if (slash <= 0 || colon < 0) return null;
    try {
      return new EvidenceHead(
          text.substring(0, slash),
          Integer.parseInt(text.substring(slash + 2, hashAt)),
          Long.parseLong(text.substring(hashAt + 1, colon)),
          text.substring(colon + 1));
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
