package dev.slipway.controller.evidence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.slipway.analysis.Verdict;
import dev.slipway.analysis.judge.Measurement;
import dev.slipway.analysis.promql.AnalysisArgs;
import dev.slipway.analysis.provider.MetricProvider;
import dev.slipway.analysis.provider.QueryOutcome;
import dev.slipway.analysis.run.AnalysisDriver;
import dev.slipway.analysis.run.AnalysisRun;
import dev.slipway.analysis.run.RunResult;
import dev.slipway.analysis.spec.MetricSpec;
import dev.slipway.analysis.spec.PrometheusTarget;
import dev.slipway.analysis.spec.Query;
import dev.slipway.analysis.spec.Schedule;
import dev.slipway.analysis.spec.SequentialSpec;
import dev.slipway.api.v1alpha1.RecordEntry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The judge re-run offline on what the record keeps: a sequential run's looks and verdict, taken
 * through the evidence's own JSON, recompute to the same e-values and verdict; a changed count,
 * e-value or verdict is named.
 */
class DecisionVerifierTest {
  static final Instant T0 = Instant.parse("2026-12-05T12:00:00Z");
  static final AnalysisArgs ARGS =
      new AnalysisArgs("web", "shop", "stable1", "canary1", "web-stable", "web-canary", Map.of());

  /**
   * Counters growing steadily: the canary serves 20 requests/s with {@code canaryErrors} 5xx each
   * second, the stable 80 with 1 every third.
   */
  static MetricProvider counters(int canaryErrors) {
    return new MetricProvider() {
      @Override
      public QueryOutcome vector(String query, Instant at) {
        long s = at.getEpochSecond() - T0.getEpochSecond();
        boolean canary = query.contains("\"canary1\"");
        return new QueryOutcome.Series(
            canary
                ? List.of(sample("200", (20 - canaryErrors) * s), sample("500", canaryErrors * s))
                : List.of(sample("200", 80 * s - s / 3), sample("500", s / 3)));
      }

      @Override
      public QueryOutcome instant(String query, Instant at) {
        throw new AssertionError();
      }

      @Override
      public QueryOutcome range(String query, Instant start, Instant end, Duration step) {
        throw new AssertionError();
      }

      @Override
      public String address() {
        return "http://127.0.0.1:9090";
      }
    };
  }

  static QueryOutcome.Sample sample(String code, double v) {
    return new QueryOutcome.Sample(Map.of("code", code, "pod", "p"), v);
  }

  static MetricSpec metric(Duration exposure) {
    SequentialSpec spec =
        new SequentialSpec(
            0.05, 0.8, new SequentialSpec.ErrorTest(0.05), null, exposure, Duration.ofMinutes(10));
    return new MetricSpec(
        "errors",
        new Query.Sequential(spec),
        Duration.ofMinutes(1),
        null,
        null,
        Schedule.every(Duration.ofSeconds(1), 1),
        false,
        PrometheusTarget.at("http://127.0.0.1:9090"));
  }

  /**
   * A run looked at every second until it ends, and its entries as the record holds them (through
   * JSON).
   */
  static List<RecordEntry> recorded(int canaryErrors, Duration exposure) throws Exception {
    MetricSpec m = metric(exposure);
    AnalysisRun run = AnalysisRun.start(List.of(m), ARGS, T0);
    for (long s = 1; run.overall().verdict() == Verdict.Running && s < 600; s++) {
      run =
          new AnalysisDriver(
                  t -> counters(canaryErrors), Clock.fixed(T0.plusSeconds(s), ZoneOffset.UTC))
              .advance(run);
    }
    RunResult r = run.result();
    List<RecordEntry> out = new ArrayList<>();
    int n = 0;
    for (Measurement x : r.measurements()) {
      out.add(
          json(
              new RecordEntry(
                  (long) out.size(),
                  "measurement/2/" + T0 + "/errors/" + n++,
                  "Measurement",
                  null,
                  null,
                  2,
                  EvidenceDrafts.measurement(x),
                  null,
                  null,
                  null)));
    }
    Map<String, Object> verdict = new LinkedHashMap<>();
    verdict.put("verdict", r.result().verdict().name());
    verdict.put("reason", r.result().reason());
    verdict.put("analysis", "2");
    verdict.put("runStartedAt", T0.toString());
    verdict.put("sequential", SequentialData.specs(r.sequential()));
    out.add(
        json(
            new RecordEntry(
                (long) out.size(),
                "analysis/2/" + T0 + "/" + r.result().verdict(),
                "AnalysisVerdict",
                null,
                null,
                2,
                verdict,
                null,
                null,
                null)));
    return out;
  }

  /** As the API server hands it back: numbers as JSON numbers, maps as maps. */
  static RecordEntry json(RecordEntry e) throws Exception {
    return Canonical.JSON.readValue(Canonical.JSON.writeValueAsString(e), RecordEntry.class);
  }

  @Test
  void aRolledBackCanarysVerdictRecomputesFromItsCounts() throws Exception {
    List<RecordEntry> entries = recorded(4, Duration.ofMinutes(5));
    assertEquals("Failed", entries.get(entries.size() - 1).data().get("verdict"));
    DecisionVerifier.Result r = DecisionVerifier.verify(entries);
    System.out.println("verify --decisions, 20% 5xx canary: " + r.message());
    assertTrue(r.ok(), r.message());
  }

  @Test
  void aPassedCanarysVerdictRecomputesToo() throws Exception {
    List<RecordEntry> entries = recorded(0, Duration.ofSeconds(30));
    assertEquals(
        "Successful",
        entries.get(entries.size() - 1).data().get("verdict"),
        entries.get(entries.size() - 1).data().toString());
    assertTrue(DecisionVerifier.verify(entries).ok(), DecisionVerifier.verify(entries).message());
  }

  @Test
  @SuppressWarnings("unchecked")
  void aChangedCountIsNamed() throws Exception {
    List<RecordEntry> entries = recorded(4, Duration.ofMinutes(5));
    RecordEntry first = entries.get(0);
    Map<String, Object> data =
        Canonical.JSON.convertValue(first.data(), new TypeReference<Map<String, Object>>() {});
    Map<String, Object> look = (Map<String, Object>) data.get("look");
    Map<String, Object> errors = (Map<String, Object>) look.get("errors");
    errors.put("canary", List.of(20, 0));
    entries.set(
        0,
        new RecordEntry(
            first.seq(),
            first.key(),
            first.kind(),
            first.at(),
            first.phase(),
            first.step(),
            data,
            first.prevHash(),
            first.hash(),
            first.signature()));
    DecisionVerifier.Result r = DecisionVerifier.verify(entries);
    System.out.println("verify --decisions after a count was changed: " + r.message());
    assertFalse(r.ok());
    assertTrue(
        r.message().contains("look 1")
            && r.message().contains("a count or the e-value was changed"),
        r.message());
  }

  @Test
  void aChangedVerdictIsNamed() throws Exception {
    List<RecordEntry> entries = recorded(4, Duration.ofMinutes(5));
    RecordEntry last = entries.get(entries.size() - 1);
    Map<String, Object> data = new LinkedHashMap<>(last.data());
    data.put("verdict", "Successful");
    entries.set(
        entries.size() - 1,
        new RecordEntry(
            last.seq(),
            last.key(),
            last.kind(),
            last.at(),
            last.phase(),
            last.step(),
            data,
            last.prevHash(),
            last.hash(),
            last.signature()));
    DecisionVerifier.Result r = DecisionVerifier.verify(entries);
    assertFalse(r.ok());
    assertTrue(
        r.message().contains("recorded Successful, but the recorded looks fail it"), r.message());
  }

  @Test
  void aSequentialMeasurementSurvivesTheRecord() throws Exception {
    List<RecordEntry> entries = recorded(4, Duration.ofMinutes(5));
    Measurement back = RecordedRuns.measurement(entries.get(0).data());
    assertEquals(
        Jcs.canonicalize(Canonical.JSON.valueToTree(entries.get(0).data())),
        Jcs.canonicalize(Canonical.JSON.valueToTree(EvidenceDrafts.measurement(back))),
        "written, read back, written again: the same");
    assertTrue(back.look().errorsLogE() != null);
  }
}
