package dev.slipway.controller.evidence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.slipway.api.v1alpha1.RecordEntry;
import dev.slipway.api.v1alpha1.RolloutRecord;
import dev.slipway.api.v1alpha1.RolloutRecordSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RecentRecordsTest {
  static List<RolloutRecord> attempt(int entries) {
    List<RecordEntry> list = new ArrayList<>();
    for (int i = 0; i < entries; i++)
      list.add(new RecordEntry(null, "k" + i, "K", null, null, null, Map.of(), null, null, null));
    RolloutRecord r = new RolloutRecord();
    r.setSpec(new RolloutRecordSpec("demo", "uid", "rev", 1, 0, "key", list));
    return List.of(r);
  }

  static RecentRecords.Attempt id(String ns, String rollout, String revision, int attempt) {
    return new RecentRecords.Attempt(ns, rollout, revision, attempt);
  }

  @Test
  void boundedByEntriesLeastRecentlyUsedFirst() {
    RecentRecords cache = new RecentRecords(100);
    var a = id("ns", "demo", "a", 1);
    var b = id("ns", "demo", "b", 1);
    var huge = id("ns", "demo", "huge", 1);
    cache.put(a, attempt(40));
    cache.put(b, attempt(40));
    cache.get(a);
    cache.put(id("ns", "demo", "c", 1), attempt(40));
    assertNull(cache.get(b), "the least recently used attempt goes first");
    assertNotNull(cache.get(a));
    assertEquals(80, cache.entries());
    cache.put(a, attempt(10));
    assertEquals(50, cache.entries(), "a replaced attempt is weighed afresh");
    cache.put(huge, attempt(500));
    assertNotNull(cache.get(huge), "the attempt just written stays, even alone over budget");
    assertEquals(1, cache.attempts());
  }

  @Test
  void forgettingARolloutDropsOnlyItsAttempts() {
    RecordStore store = new RecordStore(null, null, 0, 1000);
    RecentRecords known = store.recentForTest();
    known.put(id("ns", "demo", "abcde12345", 1), attempt(3));
    known.put(id("ns", "demo", "abcde12345", 2), attempt(3));
    known.put(id("ns", "demo-x", "fghij67890", 1), attempt(3));
    known.put(id("other", "demo", "abcde12345", 1), attempt(3));
    store.forget("ns", "demo");
    assertEquals(2, known.attempts());
    assertNotNull(
        known.get(id("ns", "demo-x", "fghij67890", 1)),
        "a Rollout whose name extends ours keeps its memory");
    assertNotNull(known.get(id("other", "demo", "abcde12345", 1)));
  }
}
