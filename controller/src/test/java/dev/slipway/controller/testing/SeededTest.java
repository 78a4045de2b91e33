package dev.slipway.controller.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The property runner itself: replayable seeds, shrinking, and the failure it reports. */
class SeededTest {
  static final Function<Random, List<Integer>> LISTS =
      rnd -> Seeded.listOf(rnd, 0, 12, r -> r.nextInt(100));

  @Test
  void aPinnedRunSeedDrawsTheSameCasesEveryTime() {
    List<Seeded.Case<List<Integer>>> a = Seeded.forAll("a", 42L, 50, LISTS, v -> {});
    List<Seeded.Case<List<Integer>>> b = Seeded.forAll("b", 42L, 50, LISTS, v -> {});
    assertEquals(a, b);
    assertEquals(
        a.get(7).value(),
        LISTS.apply(new Random(a.get(7).seed())),
        "a case seed replays its case alone");
  }

  @Test
  void aFailingListIsShrunkToWhatStillFailsAndTheSeedIsNamed() {
    AssertionError e =
        assertThrows(
            AssertionError.class,
            () ->
                Seeded.forAllLists(
                    "planted",
                    7L,
                    500,
                    LISTS,
                    v ->
                        assertTrue(
                            v.stream().filter(x -> x >= 90).count() < 2, "two large numbers")));
    String m = e.getMessage();
    assertTrue(m.contains("run seed 7, -Dslipway.seed=7 replays it"), m);
    String shrunk = m.substring(m.indexOf("shrunk: ") + 8, m.indexOf('\n', m.indexOf("shrunk: ")));
    assertEquals(2, shrunk.split(",").length, "shrunk to the two elements that fail: " + m);
  }
}
