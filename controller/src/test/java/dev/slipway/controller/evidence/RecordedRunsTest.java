package dev.slipway.controller.evidence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.analysis.Verdict;
import dev.slipway.analysis.judge.Measurement;
import dev.slipway.api.v1alpha1.RecordEntry;
import dev.slipway.controller.core.Observations;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecordedRunsTest {
  static final Instant RUN1 = Instant.parse("2026-11-22T10:00:00.123456789Z");
  static final Instant RUN2 = Instant.parse("2026-11-22T10:05:00Z");

  static Measurement m(String metric, Double value, Instant at, Verdict v) {
    return new Measurement(
        metric,
        v,
        "r",
        value,
        null,
        "value >= 0.95",
        "sum(rate(x[20s]))",
        null,
        "20s",
        "http://127.0.0.1:9090",
        null,
        null,
        at,
        at.plusMillis(40),
        false);
  }

  static RecordEntry entry(String step, Instant run, int n, Measurement m) {
    return new RecordEntry(
        null,
        "measurement/" + step + "/" + run + "/" + m.metric() + "/" + n,
        "Measurement",
        null,
        null,
        null,
        EvidenceDrafts.measurement(m),
        null,
        null,
        null);
  }

  @Test
  void theNewestRunOfTheStepComesBackMeasurementForMeasurement() {
    Measurement a = m("success-rate", 0.99, RUN2.plusSeconds(6), Verdict.Successful);
    Measurement b = m("latency-p99", Double.POSITIVE_INFINITY, RUN2.plusSeconds(6), Verdict.Failed);
    Measurement c = m("success-rate", Double.NaN, RUN2.plusSeconds(10), Verdict.Inconclusive);
    List<RecordEntry> entries =
        new ArrayList<>(
            List.of(
                entry("1", RUN1, 0, m("success-rate", 0.5, RUN1.plusSeconds(6), Verdict.Failed)),
                entry("1", RUN2, 0, a),
                entry("1", RUN2, 0, b),
                entry("1", RUN2, 1, c),
                entry(
                    "3",
                    RUN2.plusSeconds(60),
                    0,
                    m("success-rate", 1.0, RUN2.plusSeconds(66), Verdict.Successful)),
                entry(
                    "background",
                    RUN1,
                    0,
                    m("success-rate", 1.0, RUN1.plusSeconds(1), Verdict.Successful))));
    var run = RecordedRuns.latest(entries, 1).orElseThrow();
    assertEquals(RUN2, run.startedAt());
    assertEquals(
        List.of(a, b, c),
        run.measurements(),
        "every field survives the record, infinities and NaN included");
    assertEquals(
        RUN1, RecordedRuns.latest(entries, Observations.BACKGROUND).orElseThrow().startedAt());
    assertTrue(RecordedRuns.latest(entries, 5).isEmpty());
  }
}
