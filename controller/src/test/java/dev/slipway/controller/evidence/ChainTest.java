package dev.slipway.controller.evidence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slipway.api.v1alpha1.RecordEntry;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChainTest {
  static final EvidenceKeys KEYS = EvidenceKeys.generate();

  static List<RecordEntry> chain(int n) {
    List<RecordEntry> out = new ArrayList<>();
    String prev = Chain.GENESIS;
    for (int i = 0; i < n; i++) {
      Map<String, Object> data = new LinkedHashMap<>();
      data.put("canaryWeight", i * 10);
      data.put("value", 0.1 * i);
      data.put("ratio", 1.0);
      data.put("note", "entry \"" + i + "\" ünïcödé");
      RecordEntry e =
          Chain.seal(
              new EntryDraft(
                  "k/" + i,
                  "WeightSet",
                  EntryDraft.DECISION,
                  i,
                  "2026-01-01T00:00:0" + i + "Z",
                  data),
              i,
              prev,
              KEYS);
      out.add(e);
      prev = e.hash();
    }
    return out;
  }

  @Test
  void aSealedChainVerifies() {
    Verifier.Result r = Verifier.verify(chain(5), KEYS.publicKey());
    assertTrue(r.ok(), r.message());
  }

  @Test
  void numbersRespelledByTheApiServerKeepTheHash() throws Exception {
    RecordEntry e = chain(2).get(1);
    // Go's encoder writes 1.0 as 1: the hash must not change when the record is read back.
    String respelled =
        new ObjectMapper().writeValueAsString(e).replace("\"ratio\":1.0", "\"ratio\":1");
    RecordEntry back = new ObjectMapper().readValue(respelled, RecordEntry.class);
    assertEquals(e.hash(), Chain.hashOf(back));
  }

  @Test
  void anotherKeyFailsAndSaysWhichKey() {
    EvidenceKeys other = EvidenceKeys.generate();
    Verifier.Result r = Verifier.verify(chain(3), other.publicKey());
    assertFalse(r.ok());
    assertEquals(0, r.badIndex());
    assertTrue(r.message().contains(other.keyId()), r.message());
  }

  @Test
  void droppingOrReorderingEntriesIsNamed() {
    List<RecordEntry> c = new ArrayList<>(chain(4));
    c.remove(2);
    Verifier.Result r = Verifier.verify(c, KEYS.publicKey());
    assertEquals(2, r.badIndex(), r.message());
  }

  /** Every single-byte change of every JSONL entry is caught, and the message names that entry. */
  @Test
  void everyByteOfEveryEntryIsCovered() {
    List<RecordEntry> entries = chain(4);
    String jsonl =
        Exports.jsonl(
            ExportDocument.of("web", "shop", "abc", 1, KEYS.keyId(), KEYS.publicPem(), entries));
    String[] lines = jsonl.split("\n");
    int checked = 0;
    for (int line = 0; line < lines.length; line++) {
      byte[] bytes = lines[line].getBytes(StandardCharsets.UTF_8);
      for (int b = 0; b < bytes.length; b++) {
        byte[] changed = bytes.clone();
        changed[b] = (byte) (changed[b] == 'x' ? 'y' : 'x');
        String[] copy = lines.clone();
        copy[line] = new String(changed, StandardCharsets.UTF_8);
        Verifier.Result r = Verification.verify(String.join("\n", copy) + "\n", KEYS.publicKey());
        assertFalse(
            r.ok(), "line " + line + " byte " + b + " (" + (char) bytes[b] + ") in " + lines[line]);
        assertEquals(line, r.badIndex(), "line " + line + " byte " + b + ": " + r.message());
        checked++;
      }
    }
    assertTrue(checked > 1000, "bytes checked: " + checked);
  }
}
