package dev.slipway.controller.evidence;

import dev.slipway.analysis.sequential.MixturePrior;
import dev.slipway.analysis.spec.MetricSpec;
import dev.slipway.analysis.spec.Query;
import dev.slipway.analysis.spec.Schedule;
import dev.slipway.analysis.spec.SequentialSpec;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A sequential metric's settings as an analysis verdict records them: the test, the prior it bets
 * with, alpha, the power and effects a pass had to reach, and the exposure. With the run's looks
 * (LookData), what `evidence verify --decisions` needs to recompute the verdict offline.
 */
final class SequentialData {
  /**
   * The name of the test the verdict was reached by, recorded so that a later judge cannot be
   * mistaken for it.
   */
  static final String TEST =
      "mixture e-process over canary/baseline rate ratios (Lindon, Sanden & Shirikian 2022), default prior";

  private SequentialData() {}

  static Map<String, Object> specs(Map<String, MetricSpec> byMetric) {
    Map<String, Object> out = new LinkedHashMap<>();
    byMetric.forEach(
        (name, m) -> {
          Map<String, Object> d = spec(((Query.Sequential) m.query()).spec());
          d.put("consecutiveErrorLimit", m.schedule().consecutiveErrorLimit());
          d.put("dryRun", m.dryRun());
          out.put(name, d);
        });
    return out;
  }

  /**
   * The schedule a recorded metric's verdict depends on: only its consecutive-error limit (the
   * looks' times are recorded).
   */
  static Schedule schedule(Map<String, Object> d) {
    Object limit = d.get("consecutiveErrorLimit");
    return Schedule.once()
        .withLimits(
            0,
            0,
            limit == null ? Schedule.DEFAULT_CONSECUTIVE_ERROR_LIMIT : ((Number) limit).intValue());
  }

  static Map<String, Object> spec(SequentialSpec s) {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("test", TEST);
    d.put("prior", MixturePrior.DEFAULT.toString());
    d.put("alpha", s.alpha());
    d.put("power", s.power());
    if (s.errors() != null) d.put("errorsMinDetectableEffect", s.errors().minDetectableEffect());
    if (s.latency() != null) {
      d.put("latencyQuantile", s.latency().quantile());
      d.put("latencyMinDetectableEffect", s.latency().minDetectableEffect());
    }
    d.put("exposureSeconds", s.exposure().toSeconds());
    d.put("planningWindowSeconds", s.planningWindow().toSeconds());
    if (s.counts() != null) {
      // What the hosted provider was asked to count; the looks' own intervals and counts are in
      // LookData, so the recomputation does not read these.
      d.put("countsRequests", s.counts().requests());
      d.put("countsErrors", s.counts().errors());
      d.put("ingestDelaySeconds", s.counts().ingestDelay().toSeconds());
    }
    return d;
  }

  static SequentialSpec spec(Map<String, Object> d) {
    Object em = d.get("errorsMinDetectableEffect");
    Object lq = d.get("latencyQuantile");
    return new SequentialSpec(
        num(d.get("alpha")),
        num(d.get("power")),
        em == null ? null : new SequentialSpec.ErrorTest(num(em)),
        lq == null
            ? null
            : new SequentialSpec.LatencyTest(num(lq), num(d.get("latencyMinDetectableEffect"))),
        Duration.ofSeconds(((Number) d.get("exposureSeconds")).longValue()),
        Duration.ofSeconds(((Number) d.get("planningWindowSeconds")).longValue()));
  }

  private static double num(Object v) {
    return ((Number) v).doubleValue();
  }
}
