package dev.slipway.controller.evidence;

import java.security.PublicKey;

/** Verifies an exported file's text: reads it (any format but CSV), then checks the chain. */
public final class Verification {
  private Verification() {}

  public static Verifier.Result verify(String text, PublicKey key) {
    ExportReader.Read read = ExportReader.read(text);
    if (read.problem() != null) {
      return new Verifier.Result(false, read.badIndex(), read.problem());
    }
    return Verifier.verify(read.entries(), key);
  }
}
