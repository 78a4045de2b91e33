package dev.slipway.controller.evidence;

import dev.slipway.api.v1alpha1.RecordEntry;
import java.security.PublicKey;
import java.util.List;

/**
 * Verifies an exported file's text: JSONL line by line, a JSON or in-toto document as a whole. CSV
 * is for reading.
 */
public final class Verification {
  private Verification() {}

  public static Verifier.Result verify(String text, PublicKey key) {
    if (!ExportReader.isDocument(text)) {
      Verifier.Result r = LineVerifier.verify(text, key);
      return r.ok()
          ? gaps(text.lines().filter(l -> !l.isBlank()).map(LineVerifier::parse).toList(), r)
          : r;
    }
    ExportReader.Read read = ExportReader.read(text);
    if (read.problem() != null) {
      return new Verifier.Result(false, read.badIndex(), read.problem());
    }
    Verifier.Result r = Verifier.verify(read.entries(), key);
    return r.ok() ? gaps(read.entries(), r) : r;
  }

  /**
   * A chain that verifies but records a gap (RecordMissing) is not intact evidence: it fails,
   * naming the range.
   */
  private static Verifier.Result gaps(List<RecordEntry> entries, Verifier.Result ok) {
    String gap = RecordGaps.problem(entries);
    return gap == null ? ok : new Verifier.Result(false, -1, gap);
  }
}
