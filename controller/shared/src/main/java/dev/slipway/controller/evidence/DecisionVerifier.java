package dev.slipway.controller.evidence;

import dev.slipway.analysis.AnalysisResult;
import dev.slipway.analysis.Verdict;
import dev.slipway.analysis.judge.Measurement;
import dev.slipway.analysis.sequential.MixturePrior;
import dev.slipway.analysis.sequential.RatioEProcess;
import dev.slipway.analysis.sequential.SequentialJudge;
import dev.slipway.analysis.spec.SequentialSpec;
import dev.slipway.api.v1alpha1.RecordEntry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Re-runs the judge offline on a record: every sequential look's e-values are recomputed from the
 * recorded counts (bit for bit: the judge's arithmetic is StrictMath), each look's verdict must be
 * Failed exactly where the recomputed evidence first reaches 1/alpha, and every recorded sequential
 * verdict must be what the recorded looks and settings give. A changed count, e-value or verdict is
 * named. Pure; works on any list of entries (one export, or a Rollout's records).
 */
public final class DecisionVerifier {
  private DecisionVerifier() {}

  public record Result(boolean ok, String message) {}

  /**
   * A run's looks for one metric, keyed by step, run start and metric as the measurement keys spell
   * them.
   */
  record RunKey(String step, String runStart, String metric) {}

  // split drops a trailing empty segment, so "measurement/1/2/" is malformed, as it should be.
  @SuppressWarnings("StringSplitter")
  public static Result verify(List<RecordEntry> entries) {
    Map<RunKey, List<Measurement>> looks = new LinkedHashMap<>();
    Map<RunKey, Integer> order = new LinkedHashMap<>();
    for (RecordEntry e : entries) {
      if (!"Measurement".equals(e.kind())
          || e.key() == null
          || e.data() == null
          || e.data().get("look") == null) continue;
      String[] k = e.key().split("/");
      // measurement/STEP/RUNSTART/METRIC/N
      if (k.length < 5)
        return new Result(false, "entry " + e.seq() + ": malformed measurement key " + e.key());
      RunKey key = new RunKey(k[1], k[2], k[3]);
      looks.computeIfAbsent(key, x -> new ArrayList<>()).add(RecordedRuns.measurement(e.data()));
      order.merge(key, 1, Integer::sum);
    }
    int checkedLooks = 0;
    for (Map.Entry<RunKey, List<Measurement>> run : looks.entrySet()) {
      List<Measurement> ms = new ArrayList<>(run.getValue());
      ms.sort(Comparator.comparing(Measurement::startedAt));
      SequentialSpec spec = specFor(entries, run.getKey());
      String problem = checkLooks(run.getKey(), ms, spec == null ? null : spec.alpha());
      if (problem != null) return new Result(false, problem);
      checkedLooks += ms.size();
    }
    int verdicts = 0;
    for (RecordEntry e : entries) {
      if (!"AnalysisVerdict".equals(e.kind())
          || e.data() == null
          || !(e.data().get("sequential") instanceof Map<?, ?> seq)) continue;
      String step = String.valueOf(e.data().get("analysis"));
      String runStart = String.valueOf(e.data().get("runStartedAt"));
      Verdict recorded = Verdict.valueOf(String.valueOf(e.data().get("verdict")));
      String reason = String.valueOf(e.data().get("reason"));
      for (Map.Entry<?, ?> m : seq.entrySet()) {
        String metric = String.valueOf(m.getKey());
        @SuppressWarnings("unchecked")
        Map<String, Object> d = (Map<String, Object>) m.getValue();
        SequentialSpec spec = SequentialData.spec(d);
        List<Measurement> ms =
            new ArrayList<>(looks.getOrDefault(new RunKey(step, runStart, metric), List.of()));
        ms.sort(Comparator.comparing(Measurement::startedAt));
        AnalysisResult again =
            SequentialJudge.evaluate(spec, SequentialData.schedule(d), Instant.parse(runStart), ms);
        boolean dryRun = Boolean.TRUE.equals(d.get("dryRun"));
        String problem = dryRun ? null : consistent(recorded, reason, metric, again);
        if (problem != null) {
          return new Result(
              false,
              "analysis " + step + " started " + runStart + ", metric " + metric + ": " + problem);
        }
        verdicts++;
      }
    }
    return new Result(
        true,
        verdicts
            + " sequential verdict"
            + (verdicts == 1 ? "" : "s")
            + " and "
            + checkedLooks
            + " look"
            + (checkedLooks == 1 ? "" : "s")
            + " recomputed from the recorded counts: every one matches");
  }

  /**
   * Each look's e-values as recorded equal the recomputation, and (once alpha is known from the
   * run's verdict) Failed is recorded exactly at the first look whose evidence reaches 1/alpha,
   * with no look after it.
   */
  static String checkLooks(RunKey run, List<Measurement> ms, Double alpha) {
    RatioEProcess errors = RatioEProcess.start(MixturePrior.DEFAULT);
    RatioEProcess latency = RatioEProcess.start(MixturePrior.DEFAULT);
    boolean crossedBefore = false;
    for (int i = 0; i < ms.size(); i++) {
      Measurement m = ms.get(i);
      var look = m.look();
      String where =
          "analysis "
              + run.step()
              + " started "
              + run.runStart()
              + ", metric "
              + run.metric()
              + ", look "
              + (i + 1)
              + " ("
              + look.to()
              + ")";
      if (crossedBefore) {
        return where
            + ": a look after the evidence had already crossed 1/alpha (the run should have ended)";
      }
      if (look.errors() != null) errors = errors.after(look.errors());
      if (look.slow() != null) latency = latency.after(look.slow());
      if (look.errorsLogE() != null && !same(look.errorsLogE(), errors.logE())) {
        return where
            + ": recorded errors e-value "
            + exp(look.errorsLogE())
            + " but the recorded counts give "
            + exp(errors.logE())
            + " (a count or the e-value was changed)";
      }
      if (look.latencyLogE() != null && !same(look.latencyLogE(), latency.logE())) {
        return where
            + ": recorded latency e-value "
            + exp(look.latencyLogE())
            + " but the recorded counts give "
            + exp(latency.logE())
            + " (a count or the e-value was changed)";
      }
      if (alpha != null) {
        boolean crossedHere = errors.crossed(alpha) || latency.crossed(alpha);
        if (crossedHere != (m.verdict() == Verdict.Failed)) {
          return where
              + ": recorded "
              + m.verdict()
              + ", but the counts "
              + (crossedHere ? "cross" : "do not cross")
              + " 1/alpha = "
              + SequentialJudge.fmt(1 / alpha)
              + " here";
        }
        crossedBefore = crossedHere;
      }
    }
    return null;
  }

  static String consistent(Verdict recorded, String reason, String metric, AnalysisResult again) {
    boolean blamed = reason.startsWith(metric + ":");
    if (again.verdict() == Verdict.Failed && recorded == Verdict.Successful) {
      return "recorded Successful, but the recorded looks fail it: " + again.reason();
    }
    if (recorded == Verdict.Successful && again.verdict() != Verdict.Successful) {
      return "recorded Successful, but the recorded looks give "
          + again.verdict()
          + ": "
          + again.reason();
    }
    if (blamed && recorded != again.verdict() && again.verdict() != Verdict.Running) {
      return "recorded "
          + recorded
          + " on this metric, but the recorded looks give "
          + again.verdict()
          + ": "
          + again.reason();
    }
    if (blamed && again.verdict() == Verdict.Running) {
      return "recorded "
          + recorded
          + " on this metric before its looks could end it: "
          + again.reason();
    }
    return null;
  }

  /**
   * The alpha a metric's run was judged with, from its verdict entry; null while the run has none
   * yet.
   */
  static SequentialSpec specFor(List<RecordEntry> entries, RunKey run) {
    for (RecordEntry e : entries) {
      if (!"AnalysisVerdict".equals(e.kind())
          || e.data() == null
          || !(e.data().get("sequential") instanceof Map<?, ?> seq)) continue;
      if (!run.step().equals(String.valueOf(e.data().get("analysis")))
          || !run.runStart().equals(String.valueOf(e.data().get("runStartedAt")))) {
        continue;
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> d = (Map<String, Object>) seq.get(run.metric());
      if (d != null) return SequentialData.spec(d);
    }
    return null;
  }

  private static boolean same(double a, double b) {
    return Double.doubleToLongBits(a) == Double.doubleToLongBits(b)
        || Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a));
  }

  private static String exp(double logE) {
    return SequentialJudge.fmt(Math.exp(logE));
  }
}
