package dev.slipway.analysis.sequential;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.slipway.analysis.provider.QueryOutcome.Sample;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Counter increments series by series: resets from pod restarts, new pods, pods gone. */
class CounterIncrementsTest {
  static Sample s(String pod, String code, double v) {
    return new Sample(Map.of("pod", pod, "code", code), v);
  }

  @Test
  void growthIsSummedSeriesBySeries() {
    assertEquals(
        15,
        CounterIncrements.between(
            List.of(s("a", "200", 100), s("b", "200", 50)),
            List.of(s("a", "200", 110), s("b", "200", 55))));
  }

  @Test
  void aPodRestartResetsItsCounterAndItsWholeNewValueCounts() {
    // Pod a restarted: its counter fell from 100 to 7; those 7 are new requests, not -93.
    assertEquals(
        7 + 5,
        CounterIncrements.between(
            List.of(s("a", "200", 100), s("b", "200", 50)),
            List.of(s("a", "200", 7), s("b", "200", 55))));
  }

  @Test
  void aNewPodCountsFromZeroAndAGonePodAddsNothing() {
    assertEquals(
        3 + 5,
        CounterIncrements.between(
            List.of(s("a", "200", 100), s("b", "200", 50)),
            List.of(s("b", "200", 55), s("c", "200", 3))));
  }

  @Test
  void aSelectionCountsOnlyItsSeries() {
    List<Sample> before = List.of(s("a", "200", 100), s("a", "500", 1));
    List<Sample> after = List.of(s("a", "200", 120), s("a", "500", 4), s("a", "503", 2));
    assertEquals(25, CounterIncrements.between(before, after));
    assertEquals(5, CounterIncrements.between(before, after, l -> l.get("code").startsWith("5")));
  }
}
