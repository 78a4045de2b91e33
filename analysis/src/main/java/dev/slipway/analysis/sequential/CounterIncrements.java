package dev.slipway.analysis.sequential;

import dev.slipway.analysis.provider.QueryOutcome;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * How much a set of counters grew between two reads, series by series, as Prometheus' increase()
 * counts it but without extrapolating to the window's edges. A series that fell restarted (a pod
 * restart resets its counters): its whole new value is the increase. A series seen only in the
 * second read is new (a pod that started): its value is the increase, since counters start at 0. A
 * series gone from the second read adds nothing more. Pure.
 */
public final class CounterIncrements {
  private CounterIncrements() {}

  /** The increase of the series {@code which} selects, summed and rounded to whole events. */
  public static long between(
      List<QueryOutcome.Sample> before,
      List<QueryOutcome.Sample> after,
      Predicate<Map<String, String>> which) {
    Map<Map<String, String>, Double> prior = new HashMap<>();
    for (QueryOutcome.Sample s : before) {
      if (which.test(s.labels())) prior.merge(s.labels(), s.value(), Double::sum);
    }
    double sum = 0;
    for (QueryOutcome.Sample s : after) {
      if (!which.test(s.labels())) continue;
      Double was = prior.get(s.labels());
      if (was == null || s.value() < was) {
        sum += s.value();
      } else {
        sum += s.value() - was;
      }
    }
    return Math.round(sum);
  }

  /** Every series. */
  public static long between(List<QueryOutcome.Sample> before, List<QueryOutcome.Sample> after) {
    return between(before, after, labels -> true);
  }
}
