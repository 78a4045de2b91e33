package dev.slipway.controller.evidence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.api.v1alpha1.RecordEntry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which results a record owes, given the head a Rollout's status names. */
class OwedResultsTest {
  static final String T1 = "2026-01-01T00:00:01Z";
  static final String T2 = "2026-01-01T00:00:02Z";
  static final String T3 = "2026-01-01T00:00:03Z";

  static List<RecordEntry> record(EntryDraft... drafts) {
    List<RecordEntry> out = new ArrayList<>();
    String prev = Chain.GENESIS;
    for (EntryDraft d : drafts) {
      RecordEntry e = Chain.seal(d, out.size(), prev, ChainTest.KEYS);
      out.add(e);
      prev = e.hash();
    }
    return out;
  }

  static EntryDraft weight(int w, String at) {
    return new EntryDraft(
        "weight/" + w, "WeightSet", EntryDraft.DECISION, 0, at, Map.of("canaryWeight", w));
  }

  static EntryDraft transition(String to, String at) {
    return new EntryDraft(
        "transition/" + to, "Transition", EntryDraft.DECISION, 0, at, Map.of("to", to));
  }

  static EntryDraft observed(String key, String at) {
    return new EntryDraft(key, "WeightVerified", EntryDraft.OBSERVATION, 0, at, Map.of());
  }

  @Test
  void theConfirmedBatchOwesOneResultPerDecisionTheSameAsOneWrittenAtOnce() {
    List<RecordEntry> r = record(transition("Canary", T1), weight(20, T1));
    List<Targeted> owed = OwedResults.of(r, 1, "rev", 1);
    List<Targeted> atOnce =
        EvidenceDrafts.after(
            List.of(
                new Targeted("rev", 1, transition("Canary", T1)),
                new Targeted("rev", 1, weight(20, T1))),
            List.of(),
            T1);
    assertEquals(
        atOnce, owed, "the same entries, whenever they are written: a replay matches them by key");
    assertEquals(
        List.of("transition/Canary/result", "weight/20/result"),
        owed.stream().map(t -> t.draft().key()).toList());
  }

  @Test
  void onlyTheBatchThatEndsAtTheStatusHeadIsConfirmed() {
    // T1's pass was interrupted (its status never written); T2's pass decided otherwise and was
    // confirmed.
    List<RecordEntry> r = record(weight(20, T1), observed("verified/0", T2), weight(50, T2));
    assertEquals(
        List.of("weight/50/result"),
        OwedResults.of(r, 2, "rev", 1).stream().map(t -> t.draft().key()).toList());
    assertTrue(
        OwedResults.of(r, 0, "rev", 1).stream()
            .anyMatch(t -> t.draft().key().equals("weight/20/result")));
  }

  @Test
  void resultsAlreadyRecordedAreNotOwedAgain() {
    List<RecordEntry> r =
        record(
            weight(20, T1),
            new EntryDraft("weight/20/result", "WeightWritten", EntryDraft.RESULT, 0, T1, Map.of()),
            observed("verified/20", T3));
    assertEquals(List.of(), OwedResults.of(r, 1, "rev", 1));
    assertEquals(
        List.of(), OwedResults.of(r, 2, "rev", 1), "an observation-only batch owes nothing");
    assertEquals(
        List.of(),
        OwedResults.of(r, 9, "rev", 1),
        "a head the record does not hold confirms nothing");
  }

  @Test
  void theStatusHeadNamesTheAttemptAndTheDueTimeIsTheOldestDecisionsPlusTheWait() {
    assertEquals(new EvidenceHead("abc", 2, 7, "ff00"), EvidenceHead.parse("abc/a2#7:ff00"));
    assertEquals("abc/a2#7:ff00", EvidenceHead.parse("abc/a2#7:ff00").toString());
    assertNull(EvidenceHead.parse("abc/a2#x:ff00"));
    assertNull(EvidenceHead.parse("garbage"));
    assertNull(EvidenceHead.parse(null));
    List<Targeted> owed = OwedResults.of(record(weight(20, T2)), 0, "rev", 1);
    assertEquals(Instant.parse(T2).plus(OwedResults.MAX_WAIT), OwedResults.due(owed));
  }
}
