package dev.slipway.controller.evidence;

import dev.slipway.api.v1alpha1.RecordEntry;
import java.time.Instant;
import java.util.List;

/** The processor's view of the ledger: decisions before actions, results after. */
public interface Evidence {

  /**
   * Persists the pass's decisions and observations; throws if they cannot be persisted, so nothing
   * acts.
   */
  List<Targeted> beforeActions(PassContext pass);

  /**
   * The results of the actions the decisions justified. Persisted now when they carry news (a
   * problem, a rollback's images); otherwise returned: the status write that follows confirms them,
   * and they are recorded with the attempt's next entries ({@link OwedResults}).
   */
  List<Targeted> afterActions(PassContext pass, List<Targeted> decided, List<String> problems);

  /** The status write that would have confirmed these results did not happen: persist them now. */
  default void unconfirmed(PassContext pass, List<Targeted> results) {
    record(pass, results);
  }

  /** When this Rollout's owed results must be written even if nothing else is, or null. */
  default Instant owedDue(String namespace, String rollout) {
    return null;
  }

  /**
   * What the record took note of that people must also see (a gap, steps edited): one Warning Event
   * each.
   */
  record Notice(String reason, String message) {}

  /**
   * The notices since the last call: each was recorded as an entry first (RecordMissing,
   * StepsChanged).
   */
  default List<Notice> takeNotices(String namespace, String rollout) {
    return List.of();
  }

  /** The Rollout was deleted: drop what memory holds about it. */
  default void forget(String namespace, String rollout) {}

  /**
   * The head of an attempt's record as REVISION/aATTEMPT#SEQ:HASH, when known without a read; else
   * null.
   */
  default String head(String namespace, String rollout, String revision, int attempt) {
    return null;
  }

  /**
   * The entries of one revision attempt's record, as far as this recorder knows them (notifications
   * read them).
   */
  default List<RecordEntry> entries(
      String namespace, String rollout, String revision, int attempt) {
    return List.of();
  }

  /** Appends entries that no decision of the pass owes (deliveries of notifications). */
  default void record(PassContext pass, List<Targeted> entries) {}

  Evidence NONE =
      new Evidence() {
        @Override
        public List<Targeted> beforeActions(PassContext pass) {
          return List.of();
        }

        @Override
        public List<Targeted> afterActions(
            PassContext pass, List<Targeted> decided, List<String> problems) {
          return List.of();
        }
      };
}
