package dev.slipway.controller.evidence;

import dev.slipway.api.v1alpha1.RecordEntry;
import dev.slipway.api.v1alpha1.Rollout;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A record that lost entries the Rollout's status had confirmed (deleted, or re-created shorter):
 * the store finds it before appending, and writes a {@code RecordMissing} entry naming the missing
 * range and the head the status held, instead of silently starting the chain again. The entries
 * after it chain on as usual; the verifiers fail on it, naming the range. Pure.
 */
public final class RecordGaps {
  public static final String KIND = "RecordMissing";

  private RecordGaps() {}

  /**
   * The RecordMissing draft for an append to {@code revision/attempt}, or null: only when the
   * status head names this attempt and the record (as read) ends before that head.
   */
  static EntryDraft missing(Rollout r, String revision, int attempt, RecordEntry last, String at) {
    EvidenceHead head =
        r.getStatus() == null ? null : EvidenceHead.parse(r.getStatus().evidenceHead());
    if (head == null || !head.revision().equals(revision) || head.attempt() != attempt) return null;
    long from = last == null ? 0 : last.seq() + 1;
    if (from > head.seq()) return null;
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("fromSeq", from);
    data.put("throughSeq", head.seq());
    data.put("statusHead", head.toString());
    data.put("message", message(head.attemptKey(), from, head.seq()));
    return new EntryDraft(
        "record-missing/"
            + from
            + "-"
            + head.seq()
            + "/"
            + head.hash().substring(0, Math.min(12, head.hash().length())),
        KIND,
        EntryDraft.OBSERVATION,
        null,
        at,
        data);
  }

  static String message(String attempt, long from, long through) {
    return "the record of attempt "
        + attempt
        + " lost entries "
        + from
        + (through > from ? "–" + through : "")
        + " after the Rollout's status confirmed them (deleted or re-created shorter)";
  }

  /** Null when the entries name no gap, else the first gap, by entry. */
  public static String problem(List<RecordEntry> entries) {
    for (RecordEntry e : entries) {
      if (KIND.equals(e.kind()) && e.data() != null) {
        return "entry "
            + e.seq()
            + " ("
            + KIND
            + ", "
            + e.at()
            + "): "
            + e.data().get("message")
            + "; the status head was "
            + e.data().get("statusHead");
      }
    }
    return null;
  }
}
