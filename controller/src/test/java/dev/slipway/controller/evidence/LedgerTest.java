package dev.slipway.controller.evidence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.api.v1alpha1.DsseEnvelope;
import dev.slipway.api.v1alpha1.RecordEntry;
import dev.slipway.api.v1alpha1.RolloutRecord;
import dev.slipway.api.v1alpha1.RolloutRecordSpec;
import dev.slipway.controller.testing.MockCluster;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Evidence cannot shrink unnoticed: attempts link to their predecessors' heads, the newest head is
 * anchored in status, heads are attested in signed DSSE envelopes, and records written with the
 * earlier canonical spelling still verify.
 */
class LedgerTest {
  static final EvidenceKeys KEYS = RecordStoreTest.KEYS;

  /** Three attempts of one Rollout (retention 10), entries at increasing times. */
  static List<RolloutRecord> threeAttempts(MockCluster m, RecordStore store) {
    for (int a = 1; a <= 3; a++) {
      List<EntryDraft> d = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        d.add(
            new EntryDraft(
                "e/" + i,
                "Measurement",
                EntryDraft.OBSERVATION,
                null,
                "2026-01-01T00:0" + a + ":0" + i + "Z",
                Map.of("i", i)));
      }
      store.append(RecordStoreTest.rollout(), "rev" + a, 1, d);
    }
    return m.client.resources(RolloutRecord.class).inNamespace("default").list().getItems();
  }

  static String head(RecordStore store, String rev) {
    return store.head("default", "web", rev, 1);
  }

  @Test
  void intactRecordsVerifyTogetherWithTheirLinksAndTheStatusHead() {
    try (MockCluster m = new MockCluster()) {
      RecordStore store = new RecordStore(m.client, KEYS, 10);
      List<RolloutRecord> all = threeAttempts(m, store);
      LedgerVerifier.Result r = LedgerVerifier.verify(all, KEYS.publicKey(), head(store, "rev3"));
      assertTrue(r.ok(), r.message());
      assertTrue(
          r.message().contains("3 attempts, 12 entries")
              && r.message().contains("2 links between attempts found"),
          r.message());
      Map<?, ?> chain =
          (Map<?, ?>) store.entries("default", "web", "rev2", 1).get(0).data().get("chain");
      assertEquals(
          Map.of("revision", "rev1", "attempt", 1, "seq", 3),
          Map.of(
              "revision",
              ((Map<?, ?>) chain.get("previous")).get("revision"),
              "attempt",
              ((Map<?, ?>) chain.get("previous")).get("attempt"),
              "seq",
              ((Number) ((Map<?, ?>) chain.get("previous")).get("seq")).intValue()));
    }
  }

  @Test
  void aDeletedMiddleRecordIsNamed() {
    try (MockCluster m = new MockCluster()) {
      RecordStore store = new RecordStore(m.client, KEYS, 10);
      List<RolloutRecord> all = new ArrayList<>(threeAttempts(m, store));
      all.removeIf(x -> x.getSpec().revision().equals("rev2"));
      LedgerVerifier.Result r = LedgerVerifier.verify(all, KEYS.publicKey(), head(store, "rev3"));
      assertFalse(r.ok());
      assertTrue(r.message().startsWith("the record of attempt rev2/a1 is missing"), r.message());
    }
  }

  @Test
  void aRecordRecreatedWithOnlyItsFirstEntriesIsNamed() {
    try (MockCluster m = new MockCluster()) {
      RecordStore store = new RecordStore(m.client, KEYS, 10);
      List<RolloutRecord> all = new ArrayList<>(threeAttempts(m, store));
      // Every kept entry is genuine and signed: each chain alone still verifies. Only the links
      // notice.
      for (String rev : List.of("rev1", "rev3")) {
        RolloutRecord cut =
            all.stream().filter(x -> x.getSpec().revision().equals(rev)).findFirst().orElseThrow();
        RolloutRecordSpec s = cut.getSpec();
        RolloutRecord shorter = Serialization.clone(cut);
        shorter.setSpec(
            new RolloutRecordSpec(
                s.rollout(),
                s.rolloutUid(),
                s.revision(),
                s.attempt(),
                s.part(),
                s.keyId(),
                s.entriesOrEmpty().subList(0, 2),
                s.attestation()));
        List<RolloutRecord> tampered = new ArrayList<>(all);
        tampered.set(tampered.indexOf(cut), shorter);
        assertTrue(
            Verifier.verify(shorter.getSpec().entriesOrEmpty(), KEYS.publicKey()).ok(),
            "the prefix alone verifies");
        LedgerVerifier.Result r =
            LedgerVerifier.verify(tampered, KEYS.publicKey(), head(store, "rev3"));
        assertFalse(r.ok(), rev);
        System.out.println("shortened " + rev + ": " + r.message());
        assertTrue(
            rev.equals("rev1")
                ? r.message()
                    .startsWith("the record of attempt rev1/a1 was cut short: it has 2 entries")
                : r.message()
                    .startsWith(
                        "the record of attempt rev3/a1 does not hold the head the Rollout's status names"),
            r.message());
      }
    }
  }

  @Test
  void retentionRecordsWhatItPrunesSoThatIsNotTampering() {
    try (MockCluster m = new MockCluster()) {
      RecordStore store = new RecordStore(m.client, KEYS, 2);
      List<RolloutRecord> all = threeAttempts(m, store);
      assertEquals(2, all.size(), "retention 2");
      LedgerVerifier.Result r = LedgerVerifier.verify(all, KEYS.publicKey(), head(store, "rev3"));
      assertTrue(r.ok(), r.message());
      assertTrue(r.message().contains("1 pruned attempts accounted for"), r.message());
    }
  }

  @Test
  void theHeadAttestationIsASignedDsseEnvelopeOfAnInTotoStatement() throws Exception {
    try (MockCluster m = new MockCluster()) {
      RecordStore store = new RecordStore(m.client, KEYS, 10);
      threeAttempts(m, store);
      List<RolloutRecord> parts = store.parts("default", "web", "rev3", 1);
      DsseEnvelope env = parts.get(parts.size() - 1).getSpec().attestation();
      Attestations.Checked c = Attestations.verify(env, KEYS.publicKey());
      assertTrue(c.ok(), c.problem());
      List<RecordEntry> entries = store.entries("default", "web", "rev3", 1);
      assertEquals(entries.get(entries.size() - 1).hash(), c.headHash());
      assertEquals(4, c.predicate().path("entries").asInt());
      String statement =
          new String(Base64.getDecoder().decode(env.payload()), StandardCharsets.UTF_8);
      assertTrue(statement.startsWith("{\"_type\":\"https://in-toto.io/Statement/v1\""), statement);
      byte[] pae = Attestations.pae(env.payloadType(), Base64.getDecoder().decode(env.payload()));
      assertTrue(
          new String(pae, StandardCharsets.UTF_8)
              .startsWith("DSSEv1 28 application/vnd.in-toto+json "),
          "DSSE v1 PAE");
      DsseEnvelope forged =
          new DsseEnvelope(
              env.payloadType(),
              Base64.getEncoder()
                  .encodeToString(
                      statement
                          .replace("\"entries\":4", "\"entries\":2")
                          .getBytes(StandardCharsets.UTF_8)),
              env.signatures());
      assertFalse(
          Attestations.verify(forged, KEYS.publicKey()).ok(),
          "a changed payload no longer verifies");
      assertFalse(
          Attestations.verify(env, EvidenceKeys.generate().publicKey()).ok(),
          "nor under another key");
    }
  }

  @Test
  void entriesInTheEarlierCanonicalSpellingStillVerify() {
    // What a controller before RFC 8785 spelling wrote: no canon field, hashed in the earlier form.
    List<RecordEntry> legacy = new ArrayList<>();
    String prev = Chain.GENESIS;
    for (int i = 0; i < 3; i++) {
      RecordEntry unsigned =
          new RecordEntry(
              (long) i,
              "k" + i,
              "Measurement",
              "2026-01-01T00:00:00Z",
              "observation",
              null,
              Map.of("value", 0.1 * i, "n", i),
              prev,
              null,
              null);
      String hash = Chain.hashOf(unsigned);
      legacy.add(
          new RecordEntry(
              (long) i,
              "k" + i,
              "Measurement",
              "2026-01-01T00:00:00Z",
              "observation",
              null,
              Map.of("value", 0.1 * i, "n", i),
              prev,
              hash,
              KEYS.sign(hash.getBytes(StandardCharsets.US_ASCII))));
      prev = hash;
    }
    assertTrue(Verifier.verify(legacy, KEYS.publicKey()).ok());
    RecordEntry e = legacy.get(1);
    RecordEntry relabelled =
        new RecordEntry(
            e.seq(),
            e.key(),
            e.kind(),
            e.at(),
            e.phase(),
            e.step(),
            e.data(),
            e.prevHash(),
            e.hash(),
            e.signature(),
            RecordEntry.JCS);
    assertFalse(
        Chain.hashOf(relabelled).equals(e.hash()),
        "the spelling is part of what is hashed: it cannot be switched");
  }
}
