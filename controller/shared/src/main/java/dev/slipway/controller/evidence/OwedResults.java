package dev.slipway.controller.evidence;

import dev.slipway.api.v1alpha1.RecordEntry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Results a record owes: decisions of the batch that ends at the head the Rollout's status names,
 * without their result entry. The status is written only after a pass's actions have all run, so a
 * head in it confirms that that pass's decisions were carried out; a pass whose actions failed, or
 * that rolled back (its result names the pods' images), wrote its results at once. Such a result is
 * therefore fully known, and is recorded with the next entries of the attempt: one record write per
 * pass instead of two, without a result ever resting only in memory. Pure.
 */
public final class OwedResults {
  /** How long a result may wait for the next entries of its attempt before it is written alone. */
  public static final Duration MAX_WAIT = Duration.ofSeconds(30);

  private OwedResults() {}

  /**
   * The results owed for the decisions of the batch that ends at {@code confirmedSeq} (the entries
   * of one pass share its time), in record order.
   */
  public static List<Targeted> of(
      List<RecordEntry> entries, long confirmedSeq, String revision, int attempt) {
    Set<String> recorded = new HashSet<>();
    entries.forEach(e -> recorded.add(e.key()));
    String batchAt =
        entries.stream()
            .filter(e -> e.seq() != null && e.seq() == confirmedSeq)
            .map(RecordEntry::at)
            .findFirst()
            .orElse(null);
    if (batchAt == null) return List.of();
    List<Targeted> decided = new ArrayList<>();
    for (RecordEntry e : entries) {
      if (e.seq() == null
          || e.seq() > confirmedSeq
          || !batchAt.equals(e.at())
          || !EntryDraft.DECISION.equals(e.phase())) continue;
      if (recorded.contains(e.key() + "/result")) continue;
      decided.add(
          new Targeted(
              revision,
              attempt,
              new EntryDraft(e.key(), e.kind(), e.phase(), e.step(), e.at(), e.data())));
    }
    // Each result carries its decision's time, as a result written right after the actions did:
    // the same entry whenever it is written, so a replay matches it by key.
    List<Targeted> out = new ArrayList<>();
    for (Targeted t : decided) {
      out.addAll(EvidenceDrafts.after(List.of(t), List.of(), t.draft().at()));
    }
    return out;
  }

  /**
   * When owed results must be written even without other entries: the oldest decision plus {@link
   * #MAX_WAIT}.
   */
  public static Instant due(List<Targeted> owed) {
    return owed.stream()
        .map(t -> Instant.parse(t.draft().at()))
        .min(Instant::compareTo)
        .map(i -> i.plus(MAX_WAIT))
        .orElse(null);
  }
}
