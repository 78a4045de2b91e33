package dev.slipway.controller.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ShardsTest {

  @Test
  void aRolloutsShardIsFixedAndTheShardsAreEvenlyFilled() {
    assertEquals(Shards.of("ns", "web", 3), Shards.of("ns", "web", 3));
    assertEquals(0, Shards.of("ns", "web", 1));
    int[] n = new int[3];
    for (int i = 0; i < 3000; i++) n[Shards.of("scale-" + i / 500, "r" + i, 3)]++;
    for (int c : n)
      assertTrue(c > 900 && c < 1100, "about a third each: " + List.of(n[0], n[1], n[2]));
  }

  @Test
  void aReplicaThatLeavesOrJoinsMovesOnlyItsOwnShards() {
    int count = 64;
    List<String> three = List.of("slipway-0", "slipway-1", "slipway-2");
    Map<Integer, String> before = owners(count, three);
    assertEquals(3, new java.util.HashSet<>(before.values()).size(), "every replica holds some");
    // slipway-1 leaves: only its shards move, to the two left.
    Map<Integer, String> after = owners(count, List.of("slipway-0", "slipway-2"));
    for (int s = 0; s < count; s++) {
      if (!before.get(s).equals("slipway-1"))
        assertEquals(before.get(s), after.get(s), "shard " + s);
    }
    // It comes back under its name: it takes back exactly what it held.
    assertEquals(before, owners(count, List.of("slipway-2", "slipway-1", "slipway-0")));
    assertNull(Shards.owner(0, List.of()));
  }

  private static Map<Integer, String> owners(int count, List<String> members) {
    Map<Integer, String> out = new HashMap<>();
    for (int s = 0; s < count; s++) out.put(s, Shards.owner(s, new ArrayList<>(members)));
    return out;
  }
}
