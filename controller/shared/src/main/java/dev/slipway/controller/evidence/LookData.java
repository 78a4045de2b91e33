package dev.slipway.controller.evidence;

import dev.slipway.analysis.sequential.Counts;
import dev.slipway.analysis.sequential.Histogram;
import dev.slipway.analysis.sequential.SequentialLook;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A sequential look as the evidence keeps it, compactly: the interval, each test's counts as
 * [requests, events] per side, the latency threshold, and the e-values after the look. Enough to
 * recompute every sequential verdict from the record alone (`evidence verify --decisions`), and to
 * resume a run after a restart. The inverse of itself: {@link #look} reads back what {@link #data}
 * wrote.
 */
final class LookData {
  private LookData() {}

  static Map<String, Object> data(SequentialLook l) {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("from", l.from().toString());
    d.put("to", l.to().toString());
    if (l.errorsCanary() != null) {
      d.put(
          "errors", Map.of("canary", pair(l.errorsCanary()), "baseline", pair(l.errorsBaseline())));
    }
    if (l.slowCanary() != null) {
      d.put("slow", Map.of("canary", pair(l.slowCanary()), "baseline", pair(l.slowBaseline())));
    }
    Histogram.LatencyPlan p = l.latency();
    if (p != null) {
      Map<String, Object> plan = new LinkedHashMap<>();
      plan.put("le", p.le());
      plan.put("threshold", p.threshold());
      plan.put("baselineQuantile", p.baselineQuantile());
      plan.put("baselineShare", p.baselineShare());
      plan.put("shareUnderEffect", p.shareUnderEffect());
      d.put("latencyPlan", plan);
    }
    if (l.errorsLogE() != null) d.put("errorsLogE", l.errorsLogE());
    if (l.latencyLogE() != null) d.put("latencyLogE", l.latencyLogE());
    return d;
  }

  @SuppressWarnings("unchecked")
  static SequentialLook look(Map<String, Object> d) {
    if (d == null) return null;
    Map<String, Object> errors = (Map<String, Object>) d.get("errors");
    Map<String, Object> slow = (Map<String, Object>) d.get("slow");
    Map<String, Object> plan = (Map<String, Object>) d.get("latencyPlan");
    Histogram.LatencyPlan p =
        plan == null
            ? null
            : new Histogram.LatencyPlan(
                (String) plan.get("le"),
                num(plan.get("threshold")),
                num(plan.get("baselineQuantile")),
                num(plan.get("baselineShare")),
                num(plan.get("shareUnderEffect")));
    return new SequentialLook(
        Instant.parse((String) d.get("from")),
        Instant.parse((String) d.get("to")),
        errors == null ? null : counts(errors.get("canary")),
        errors == null ? null : counts(errors.get("baseline")),
        slow == null ? null : counts(slow.get("canary")),
        slow == null ? null : counts(slow.get("baseline")),
        p,
        d.get("errorsLogE") == null ? null : num(d.get("errorsLogE")),
        d.get("latencyLogE") == null ? null : num(d.get("latencyLogE")));
  }

  private static List<Long> pair(Counts c) {
    return List.of(c.trials(), c.events());
  }

  private static Counts counts(Object v) {
    List<?> l = (List<?>) v;
    return new Counts(((Number) l.get(0)).longValue(), ((Number) l.get(1)).longValue());
  }

  private static double num(Object v) {
    return ((Number) v).doubleValue();
  }
}
