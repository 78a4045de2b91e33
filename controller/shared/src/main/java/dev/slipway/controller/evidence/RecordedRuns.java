package dev.slipway.controller.evidence;

import dev.slipway.analysis.Verdict;
import dev.slipway.analysis.judge.Measurement;
import dev.slipway.api.v1alpha1.RecordEntry;
import dev.slipway.api.v1alpha1.Rollout;
import dev.slipway.controller.analysis.RunHistory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Analysis runs read back from the evidence record. Every measurement is persisted before the
 * decision it informs, with everything the judge needs, so the record is the run's durable state.
 */
public final class RecordedRuns implements RunHistory {
  private final RecordStore store;

  public RecordedRuns(RecordStore store) {
    this.store = store;
  }

  @Override
  public Optional<PastRun> latest(Rollout r, String revision, int stepIndex) {
    int attempt = EvidenceDrafts.attemptOf(r.getStatus());
    return latest(
        store.entries(r.getMetadata().getNamespace(), r.getMetadata().getName(), revision, attempt),
        stepIndex);
  }

  /** The newest run of the step among these entries, with its measurements in order. */
  static Optional<PastRun> latest(List<RecordEntry> entries, int stepIndex) {
    String prefix = EvidenceDrafts.measurementKeys(stepIndex);
    TreeMap<Instant, List<Measurement>> runs = new TreeMap<>();
    for (RecordEntry e : entries) {
      if (!"Measurement".equals(e.kind()) || e.key() == null || !e.key().startsWith(prefix))
        continue;
      String rest = e.key().substring(prefix.length());
      int slash = rest.indexOf('/');
      if (slash < 0) continue;
      runs.computeIfAbsent(Instant.parse(rest.substring(0, slash)), k -> new ArrayList<>())
          .add(measurement(e.data()));
    }
    if (runs.isEmpty()) return Optional.empty();
    var newest = runs.lastEntry();
    List<Measurement> ordered = new ArrayList<>(newest.getValue());
    ordered.sort(Comparator.comparing(Measurement::startedAt));
    return Optional.of(new PastRun(newest.getKey(), ordered));
  }

  /** The inverse of {@link EvidenceDrafts#measurement}. */
  static Measurement measurement(Map<String, Object> d) {
    return new Measurement(
        (String) d.get("metric"),
        Verdict.valueOf((String) d.get("verdict")),
        (String) d.get("reason"),
        number(d.get("value")),
        number(d.get("baselineValue")),
        (String) d.get("condition"),
        (String) d.get("query"),
        (String) d.get("baselineQuery"),
        (String) d.get("window"),
        (String) d.get("provider"),
        number(d.get("mannWhitneyU")),
        number(d.get("pValue")),
        instant(d.get("startedAt")),
        instant(d.get("finishedAt")),
        Boolean.TRUE.equals(d.get("dryRun")),
        LookData.look(look(d.get("look"))));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> look(Object v) {
    return v instanceof Map<?, ?> m ? (Map<String, Object>) m : null;
  }

  private static Double number(Object v) {
    if (v == null) return null;
    if (v instanceof Number n) return n.doubleValue();
    return switch (v.toString()) {
      case "NaN" -> Double.NaN;
      case "+Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      default -> Double.valueOf(v.toString());
    };
  }

  private static Instant instant(Object v) {
    return v == null || "null".equals(v) ? null : Instant.parse(v.toString());
  }
}
