package dev.slipway.controller.evidence;

import dev.slipway.api.v1alpha1.RecordEntry;
import dev.slipway.api.v1alpha1.RolloutRecord;
import java.security.PublicKey;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Verifies all of a Rollout's records together, so that evidence cannot shrink unnoticed: every
 * attempt's chain and signatures; every attempt's link to the head of the attempt before it
 * (recorded in its first entry, under data.chain) must still be found in that record, unless a
 * later attempt recorded pruning it; and the newest head must hold what the Rollout's status says
 * (status.evidenceHead). A deleted record or one cut short is named. Pure.
 */
public final class LedgerVerifier {
  private LedgerVerifier() {}

  public record Result(boolean ok, String message) {}

  public static Result verify(List<RolloutRecord> records, PublicKey key, String statusHead) {
    Map<String, List<RecordEntry>> byAttempt = new LinkedHashMap<>();
    for (RecordStore.AttemptHead a : RecordStore.group(records)) {
      byAttempt.put(
          a.revision() + "/a" + a.attempt(),
          a.records().stream().flatMap(r -> r.getSpec().entriesOrEmpty().stream()).toList());
    }
    if (byAttempt.isEmpty()) {
      return new Result(false, "no records");
    }
    int entries = 0;
    for (Map.Entry<String, List<RecordEntry>> e : byAttempt.entrySet()) {
      Verifier.Result r = Verifier.verify(e.getValue(), key);
      if (!r.ok()) return new Result(false, "attempt " + e.getKey() + ": " + r.message());
      String gap = RecordGaps.problem(e.getValue());
      if (gap != null) return new Result(false, "attempt " + e.getKey() + ": " + gap);
      entries += e.getValue().size();
    }
    Set<String> pruned = new HashSet<>();
    int links = 0;
    int unlinked = 0;
    for (List<RecordEntry> es : byAttempt.values()) {
      for (Map<String, Object> p : list(chain(es.get(0)).get("pruned"))) {
        pruned.add(id(p));
      }
    }
    for (Map.Entry<String, List<RecordEntry>> e : byAttempt.entrySet()) {
      Map<String, Object> chain = chain(e.getValue().get(0));
      if (!chain.containsKey("chain-present")) {
        unlinked++;
        continue;
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> previous = (Map<String, Object>) chain.get("previous");
      if (previous == null) {
        continue;
      }
      links++;
      String target = id(previous);
      long seq = ((Number) previous.get("seq")).longValue();
      String hash = String.valueOf(previous.get("hash"));
      List<RecordEntry> t = byAttempt.get(target);
      if (t == null) {
        if (pruned.contains(target)) continue;
        return new Result(
            false,
            "the record of attempt "
                + target
                + " is missing: attempt "
                + e.getKey()
                + " opened after it had "
                + (seq + 1)
                + " entries, and no attempt records pruning it (deleted?)");
      }
      if (t.size() <= seq) {
        return new Result(
            false,
            "the record of attempt "
                + target
                + " was cut short: it has "
                + t.size()
                + " entries, but attempt "
                + e.getKey()
                + " opened after it had "
                + (seq + 1));
      }
      if (!hash.equals(t.get((int) seq).hash())) {
        return new Result(
            false,
            "the record of attempt "
                + target
                + " was replaced: its entry "
                + seq
                + " is not the one attempt "
                + e.getKey()
                + " saw");
      }
    }
    String anchored = "";
    if (statusHead != null && !statusHead.isBlank()) {
      EvidenceHead head = EvidenceHead.parse(statusHead);
      if (head == null) {
        return new Result(
            false, "the Rollout's status names no evidence head it could hold: " + statusHead);
      }
      String target = head.attemptKey();
      long seq = head.seq();
      String hash = head.hash();
      List<RecordEntry> t = byAttempt.get(target);
      if (t == null) {
        return new Result(
            false,
            "the record of attempt "
                + target
                + ", whose head the Rollout's status names, is missing");
      }
      if (t.size() <= seq || !hash.equals(t.get((int) seq).hash())) {
        return new Result(
            false,
            "the record of attempt "
                + target
                + " does not hold the head the Rollout's status names (entry "
                + seq
                + "): it was cut short or replaced");
      }
      anchored = "; the status head " + target + "#" + seq + " is in its record";
    }
    return new Result(
        true,
        byAttempt.size()
            + " attempts, "
            + entries
            + " entries: every chain intact and signed, "
            + links
            + " links between attempts found"
            + (pruned.isEmpty() ? "" : ", " + pruned.size() + " pruned attempts accounted for")
            + (unlinked == 0 ? "" : ", " + unlinked + " attempts recorded before links existed")
            + anchored);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> chain(RecordEntry first) {
    Object c = first.data() == null ? null : first.data().get("chain");
    if (!(c instanceof Map<?, ?> m)) {
      return Map.of();
    }
    Map<String, Object> out = new LinkedHashMap<>((Map<String, Object>) m);
    out.put("chain-present", true);
    return out;
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> list(Object o) {
    return o instanceof List<?> l ? (List<Map<String, Object>>) l : List.of();
  }

  private static String id(Map<String, Object> link) {
    return link.get("revision") + "/a" + ((Number) link.get("attempt")).intValue();
  }
}
