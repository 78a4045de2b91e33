package dev.slipway.controller.evidence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.api.v1alpha1.RecordEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A hub's links to member record heads, checked against member exports. */
class FleetLinksTest {
  static final EvidenceKeys HUB = EvidenceKeys.generate();
  static final EvidenceKeys MEMBER = EvidenceKeys.generate();

  static List<RecordEntry> chain(EvidenceKeys keys, int n) {
    List<RecordEntry> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      EntryDraft d =
          new EntryDraft(
              "k" + i,
              "Transition",
              EntryDraft.DECISION,
              null,
              "2026-12-07T00:00:0" + i + "Z",
              Map.of("i", i),
              null);
      out.add(Chain.seal(d, i, i == 0 ? Chain.GENESIS : out.get(i - 1).hash(), keys));
    }
    return out;
  }

  static List<RecordEntry> hubLinking(RecordEntry memberEntry, String keyId) {
    Map<String, Object> link =
        Map.of(
            "cluster", "a",
            "namespace", "shop",
            "rollout", "shop",
            "head", "rev1/a1#" + memberEntry.seq() + ":" + memberEntry.hash(),
            "keyId", keyId);
    EntryDraft d =
        new EntryDraft(
            "passed/one",
            "WavePassed",
            EntryDraft.DECISION,
            null,
            "2026-12-07T00:01:00Z",
            Map.of("wave", "one", "members", List.of(link)),
            null);
    return List.of(Chain.seal(d, 0, Chain.GENESIS, HUB));
  }

  static FleetLinks.MemberExport export(List<RecordEntry> entries, EvidenceKeys keys) {
    return new FleetLinks.MemberExport(
        "a", ExportDocument.of("shop", "shop", "rev1", 1, keys.keyId(), keys.publicPem(), entries));
  }

  @Test
  void theLinkedHeadIsFoundAndACutShortRecordIsNamed() {
    List<RecordEntry> member = chain(MEMBER, 5);
    List<RecordEntry> hub = hubLinking(member.get(3), MEMBER.keyId());
    FleetLinks.Result ok = FleetLinks.check(hub, List.of(export(member, MEMBER)));
    assertTrue(ok.ok(), ok.message());
    assertEquals(1, ok.links());

    FleetLinks.Result cut = FleetLinks.check(hub, List.of(export(member.subList(0, 3), MEMBER)));
    assertFalse(cut.ok());
    assertTrue(cut.message().contains("a:shop/shop: its record was cut short"), cut.message());

    FleetLinks.Result missing = FleetLinks.check(hub, List.of());
    assertFalse(missing.ok());
    assertTrue(missing.message().contains("no export of that attempt"), missing.message());

    // A member that re-signs its record with another key is not the member the hub verified.
    EvidenceKeys other = EvidenceKeys.generate();
    FleetLinks.Result resigned = FleetLinks.check(hub, List.of(export(chain(other, 5), other)));
    assertFalse(resigned.ok());
    assertTrue(
        resigned.message().contains("not the member key the hub verified"), resigned.message());
  }
}
