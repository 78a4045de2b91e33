package dev.slipway.controller.evidence;

import java.security.PublicKey;

/** Verifies an exported file's text: JSONL line by line, a JSON or in-toto document as a whole. CSV is for reading. */
public final class Verification {
  private Verification() {}

  public static Verifier.Result verify(String text, PublicKey key) {
    if (!ExportReader.isDocument(text)) {
      return LineVerifier.verify(text, key);
    }
    ExportReader.Read read = ExportReader.read(text);
    if (read.problem() != null) {
      return new Verifier.Result(false, read.badIndex(), read.problem());
    }
    return Verifier.verify(read.entries(), key);
  }
}
