package dev.slipway.controller.evidence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.api.v1alpha1.RecordEntry;
import dev.slipway.api.v1alpha1.Rollout;
import dev.slipway.api.v1alpha1.RolloutRecord;
import dev.slipway.api.v1alpha1.RolloutRecordSpec;
import dev.slipway.api.v1alpha1.RolloutStatus;
import dev.slipway.controller.testing.MockCluster;
import dev.slipway.controller.testing.Seeded;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Issue 27: records deleted or cut short at random between the controller's appends, while the
 * Rollout's status confirms heads as the processor does. Whatever the order, an entry the status
 * confirmed is never silently lost: either the record still holds it, or a RecordMissing entry
 * names exactly the range lost, and the ledger then fails verification naming it.
 */
class RecordGapPropertyTest {
  static final EvidenceKeys KEYS = EvidenceKeys.generate();

  sealed interface Op permits Append, Confirm, Delete, CutShort {}

  record Append(int n) implements Op {}

  record Confirm() implements Op {}

  record Delete() implements Op {}

  record CutShort(int keep) implements Op {}

  /** One step of a history: appends 5 in 11, confirms 4, deletes the record 1, cuts it short 1. */
  static Op op(Random rnd) {
    int k = rnd.nextInt(11);
    if (k < 5) return new Append(Seeded.between(rnd, 1, 4));
    if (k < 9) return new Confirm();
    if (k < 10) return new Delete();
    return new CutShort(Seeded.between(rnd, 1, 6));
  }

  @Test
  void aConfirmedEntryIsNeverLostSilently() {
    Seeded.forAllLists(
        "aConfirmedEntryIsNeverLostSilently",
        null,
        40,
        rnd -> Seeded.listOf(rnd, 1, 14, RecordGapPropertyTest::op),
        RecordGapPropertyTest::check);
  }

  static void check(List<Op> history) {
    try (MockCluster m = new MockCluster()) {
      RecordStore store = new RecordStore(m.client, KEYS, 10);
      Rollout r = RecordStoreTest.rollout();
      r.setStatus(RolloutStatus.empty());
      int next = 0;
      for (Op op : history) {
        if (op instanceof Append a) {
          long recordLast = last(m);
          EvidenceHead head = EvidenceHead.parse(r.getStatus().evidenceHead());
          store.append(r, "abc", 1, RecordStoreTest.drafts(next, a.n()));
          next += a.n();
          List<RecordEntry> es = store.entries("default", "web", "abc", 1);
          boolean lost = head != null && recordLast < head.seq();
          if (lost) {
            RecordEntry gap =
                es.stream().filter(e -> e.seq() == recordLast + 1).findFirst().orElseThrow();
            assertEquals(
                RecordGaps.KIND,
                gap.kind(),
                "the append after a loss opens with the gap: " + history);
            assertEquals(recordLast + 1, ((Number) gap.data().get("fromSeq")).longValue());
            assertEquals(head.seq(), ((Number) gap.data().get("throughSeq")).longValue());
          } else {
            assertTrue(
                es.stream()
                    .noneMatch(e -> e.seq() > recordLast && RecordGaps.KIND.equals(e.kind())),
                "no gap where none was: " + history);
          }
          assertEquals(
              lost ? 1 : 0, store.takeGaps("default", "web").size(), "one Event per gap found");
        } else if (op instanceof Confirm) {
          String h = store.head("default", "web", "abc", 1);
          if (h != null && last(m) >= EvidenceHead.parse(h).seq()) {
            RolloutStatus.Builder b = r.getStatus().toBuilder();
            b.evidenceHead = h;
            r.setStatus(b.build());
          }
        } else if (op instanceof Delete) {
          m.client.resources(RolloutRecord.class).inNamespace("default").delete();
        } else if (op instanceof CutShort cs) {
          cutShort(m, cs.keep());
        }
      }
      List<RolloutRecord> records =
          m.client.resources(RolloutRecord.class).inNamespace("default").list().getItems();
      if (records.isEmpty()) return;
      List<RecordEntry> es = store.entries("default", "web", "abc", 1);
      LedgerVerifier.Result v = LedgerVerifier.verify(records, KEYS.publicKey(), null);
      if (countGapEntries(es) > 0) {
        assertFalse(v.ok(), "a record with a gap does not verify: " + history);
        assertTrue(v.message().contains("lost entries"), v.message());
      }
    }
  }

  private static int countGapEntries(List<RecordEntry> es) {
    return (int) es.stream().filter(e -> RecordGaps.KIND.equals(e.kind())).count();
  }

  /** The seq of the record's last entry in the cluster, -1 when there is none. */
  private static long last(MockCluster m) {
    List<RecordEntry> es = new ArrayList<>();
    m.client.resources(RolloutRecord.class).inNamespace("default").list().getItems().stream()
        .sorted(Comparator.comparing(x -> x.getSpec().part()))
        .forEach(x -> es.addAll(x.getSpec().entriesOrEmpty()));
    return es.isEmpty() ? -1 : es.get(es.size() - 1).seq();
  }

  /** An admin re-creates the record with only its first entries (each genuine and signed). */
  private static void cutShort(MockCluster m, int keep) {
    List<RolloutRecord> all =
        m.client.resources(RolloutRecord.class).inNamespace("default").list().getItems();
    if (all.isEmpty()) return;
    RolloutRecord p0 = all.stream().filter(x -> x.getSpec().part() == 0).findFirst().orElse(null);
    if (p0 == null || p0.getSpec().entriesOrEmpty().size() <= keep) return;
    m.client.resources(RolloutRecord.class).inNamespace("default").delete();
    RolloutRecord shorter = new RolloutRecord();
    shorter.setMetadata(
        new ObjectMetaBuilder()
            .withName(p0.getMetadata().getName())
            .withNamespace("default")
            .withLabels(p0.getMetadata().getLabels())
            .build());
    RolloutRecordSpec s = p0.getSpec();
    shorter.setSpec(
        new RolloutRecordSpec(
            s.rollout(),
            s.rolloutUid(),
            s.revision(),
            s.attempt(),
            s.part(),
            s.keyId(),
            s.entriesOrEmpty().subList(0, keep),
            null));
    m.client.resource(shorter).create();
  }
}
