package dev.slipway.controller.dora;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.api.v1alpha1.RecordEntry;
import dev.slipway.api.v1alpha1.RolloutRecord;
import dev.slipway.api.v1alpha1.RolloutRecordSpec;
import dev.slipway.controller.evidence.Chain;
import dev.slipway.controller.evidence.EntryDraft;
import dev.slipway.controller.evidence.EvidenceKeys;
import dev.slipway.controller.evidence.VerifiedAttempts;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Only records whose chains and signatures verify count; a changed one is left out and named. */
class VerifiedAttemptsTest {
  static final EvidenceKeys KEYS = EvidenceKeys.generate();

  static RolloutRecord record(String revision, String commitTime, String to, String at) {
    Map<String, Object> opened = new LinkedHashMap<>();
    opened.put("provenance", Map.of(Attempt.COMMIT_TIME, commitTime));
    List<EntryDraft> drafts =
        List.of(
            new EntryDraft(
                "opened", "RecordOpened", EntryDraft.OBSERVATION, null, commitTime, opened),
            new EntryDraft(
                "transition/" + to, "Transition", EntryDraft.DECISION, null, at, Map.of("to", to)));
    List<RecordEntry> entries = new ArrayList<>();
    String prev = Chain.GENESIS;
    for (int i = 0; i < drafts.size(); i++) {
      RecordEntry e = Chain.seal(drafts.get(i), i, prev, KEYS);
      entries.add(e);
      prev = e.hash();
    }
    RolloutRecord r = new RolloutRecord();
    r.setMetadata(
        new ObjectMetaBuilder()
            .withName("web-" + revision + "-a1-p0")
            .withNamespace("shop")
            .build());
    r.setSpec(new RolloutRecordSpec("web", "uid", revision, 1, 0, "key", entries));
    return r;
  }

  @Test
  void aTamperedAttemptIsLeftOutAndNamed() {
    RolloutRecord good = record("h1", "2026-01-01T00:00:00Z", "Stable", "2026-01-01T01:00:00Z");
    RolloutRecord bad = record("h2", "2026-01-02T00:00:00Z", "RolledBack", "2026-01-02T01:00:00Z");
    // Someone turns the rollback into a success after the fact.
    RecordEntry t = bad.getSpec().entries().get(1);
    bad.getSpec()
        .entries()
        .set(
            1,
            new RecordEntry(
                t.seq(),
                t.key(),
                t.kind(),
                t.at(),
                t.phase(),
                t.step(),
                Map.of("to", "Stable"),
                t.prevHash(),
                t.hash(),
                t.signature(),
                t.canon()));
    VerifiedAttempts.Read read =
        VerifiedAttempts.read(new ArrayList<>(List.of(good, bad)), KEYS.publicKey());
    assertEquals(1, read.attempts().size());
    assertEquals(
        Instant.parse("2026-01-01T01:00:00Z"), Attempt.of(read.attempts().get(0)).stableAt());
    assertEquals(1, read.excluded().size());
    assertTrue(read.excluded().get(0).startsWith("shop/web/h2/1: entry 1"), read.excluded().get(0));
  }
}
