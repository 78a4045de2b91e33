package dev.slipway.controller.evidence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.api.v1alpha1.RecordEntry;
import dev.slipway.api.v1alpha1.Rollout;
import dev.slipway.api.v1alpha1.RolloutRecord;
import dev.slipway.controller.testing.MockCluster;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** RecordStore on the mock API server: parts, idempotent appends, retention. */
class RecordStoreTest {
  static final EvidenceKeys KEYS = EvidenceKeys.generate();

  static Rollout rollout() {
    Rollout r = new Rollout();
    r.setMetadata(
        new ObjectMetaBuilder().withName("web").withNamespace("default").withUid("uid-1").build());
    return r;
  }

  static List<EntryDraft> drafts(int from, int n) {
    List<EntryDraft> out = new ArrayList<>();
    for (int i = from; i < from + n; i++) {
      out.add(
          new EntryDraft(
              "m/" + i,
              "Measurement",
              EntryDraft.OBSERVATION,
              null,
              "2026-01-01T00:00:00Z",
              Map.of("n", i, "v", i / 3.0)));
    }
    return out;
  }

  @Test
  void aLongRecordContinuesInPartsAndStillVerifies() {
    try (MockCluster m = new MockCluster()) {
      RecordStore store = new RecordStore(m.client, KEYS, 10);
      store.append(rollout(), "abc", 1, drafts(0, 150));
      store.append(rollout(), "abc", 1, drafts(150, 300));
      List<RolloutRecord> parts = store.parts("default", "web", "abc", 1);
      assertEquals(3, parts.size(), "450 entries in parts of " + RecordStore.PART_SIZE);
      assertEquals(
          List.of(200, 200, 50),
          parts.stream().map(p -> p.getSpec().entriesOrEmpty().size()).toList());
      List<RecordEntry> all = store.entries("default", "web", "abc", 1);
      assertEquals(450, all.size());
      assertTrue(Verifier.verify(all, KEYS.publicKey()).ok(), "the chain runs across parts");
      // Replaying the same drafts writes nothing.
      store.append(rollout(), "abc", 1, drafts(100, 200));
      assertEquals(450, store.entries("default", "web", "abc", 1).size());
    }
  }

  @Test
  void weightsAreRecordedWhenTheyChangeAndReplaysMatchTheEntryThere() {
    try (MockCluster m = new MockCluster()) {
      RecordStore store = new RecordStore(m.client, KEYS, 10);
      EntryDraft w20 =
          new EntryDraft(
              "weight",
              "WeightSet",
              EntryDraft.DECISION,
              0,
              "t",
              Map.of("canaryWeight", 20),
              "canaryWeight");
      EntryDraft w50 =
          new EntryDraft(
              "weight",
              "WeightSet",
              EntryDraft.DECISION,
              2,
              "t",
              Map.of("canaryWeight", 50),
              "canaryWeight");
      assertEquals(List.of("weight/0/20"), store.append(rollout(), "abc", 1, List.of(w20)));
      assertEquals(
          List.of("weight/0/20"),
          store.append(rollout(), "abc", 1, List.of(w20)),
          "same weight again: the entry already there");
      assertEquals(List.of("weight/1/50"), store.append(rollout(), "abc", 1, List.of(w50)));
      assertEquals(2, store.entries("default", "web", "abc", 1).size());
    }
  }

  @Test
  void retentionKeepsTheNewestAttempts() throws Exception {
    try (MockCluster m = new MockCluster()) {
      RecordStore store = new RecordStore(m.client, KEYS, 2);
      for (int attempt = 1; attempt <= 3; attempt++) {
        store.append(rollout(), "rev" + attempt, 1, drafts(0, 1));
        Thread.sleep(1100); // creation timestamps have one-second resolution
      }
      List<String> left =
          m.client.resources(RolloutRecord.class).inNamespace("default").list().getItems().stream()
              .map(r -> r.getMetadata().getName())
              .sorted()
              .toList();
      assertEquals(List.of("web-rev2-a1-p0", "web-rev3-a1-p0"), left);
    }
  }

  @Test
  void aReplayIsAnsweredFromMemoryAndAStaleMemoryRereads() {
    try (MockCluster m = new MockCluster()) {
      RecordStore ours = new RecordStore(m.client, KEYS, 10);
      ours.append(rollout(), "abc", 1, drafts(0, 3));
      int before = m.server.getRequestCount();
      ours.append(rollout(), "abc", 1, drafts(0, 3));
      assertEquals(before, m.server.getRequestCount(), "nothing new: no request at all");

      // Another writer (a new leader, say) appends meanwhile: our update conflicts, we re-read, the
      // chain stays whole.
      new RecordStore(m.client, KEYS, 10).append(rollout(), "abc", 1, drafts(3, 2));
      ours.append(rollout(), "abc", 1, drafts(5, 2));
      List<RecordEntry> all = ours.entries("default", "web", "abc", 1);
      assertEquals(
          List.of("m/0", "m/1", "m/2", "m/3", "m/4", "m/5", "m/6"),
          all.stream().map(RecordEntry::key).toList());
      assertTrue(Verifier.verify(all, KEYS.publicKey()).ok());
    }
  }
}
