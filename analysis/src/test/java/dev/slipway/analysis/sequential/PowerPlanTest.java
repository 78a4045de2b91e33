package dev.slipway.analysis.sequential;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.analysis.spec.SequentialSpec;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Before the canary: what each step will be able to see, in numbers and in words. */
class PowerPlanTest {
  static final SequentialSpec SPEC =
      new SequentialSpec(
          0.05,
          0.8,
          new SequentialSpec.ErrorTest(0.005),
          new SequentialSpec.LatencyTest(0.99, 0.2),
          Duration.ofMinutes(5),
          Duration.ofMinutes(10));

  static Histogram histogram() {
    Map<String, Double> h = new LinkedHashMap<>();
    h.put("0.05", 5000.0);
    h.put("0.1", 9000.0);
    h.put("0.25", 9900.0);
    h.put("0.5", 9990.0);
    h.put("+Inf", 10000.0);
    return Histogram.of(h);
  }

  @Test
  void busyTrafficMeetsTheDeclaredEffects() {
    PowerPlan p = PowerPlan.of(2, "regression", 20, SPEC, 200, 0.005, histogram());
    System.out.println(p.message());
    assertTrue(p.meets(), p.message());
    assertTrue(p.errorsMde() <= 0.005 && p.slowdownMde() <= 0.2, p.toString());
    assertTrue(
        p.message()
            .startsWith(
                "step 3 at weight 20%: 40 req/s to the canary for 5 min: errors: detects +"),
        p.message());
  }

  @Test
  void thinTrafficSaysWhatItCanSeeAndWhatToDo() {
    PowerPlan p = PowerPlan.of(0, "regression", 5, SPEC, 10, 0.005, histogram());
    System.out.println(p.message());
    assertFalse(p.meets());
    assertTrue(p.message().contains("extend the step or raise the weight"), p.message());
  }

  @Test
  void noStableTrafficPlansNothing() {
    PowerPlan p = PowerPlan.of(0, "regression", 20, SPEC, 0, Double.NaN, null);
    assertFalse(p.meets());
    assertNull(p.errorsMde());
    assertTrue(p.message().contains("served no requests"), p.message());
  }
}
