package dev.slipway.controller.core;

import static dev.slipway.api.v1alpha1.RevisionState.Paused;

import dev.slipway.analysis.AnalysisResult;
import dev.slipway.analysis.Verdict;
import dev.slipway.analysis.run.MetricSummary;
import dev.slipway.analysis.run.RunResult;
import dev.slipway.api.v1alpha1.AnalysisRunStatus;
import dev.slipway.api.v1alpha1.AnalysisStep;
import dev.slipway.api.v1alpha1.MetricStatus;
import dev.slipway.api.v1alpha1.PauseReason;
import dev.slipway.api.v1alpha1.StepPlan;
import dev.slipway.controller.core.RolloutDecider.Ctx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What analysis verdicts mean for the canary: Successful lets a step complete, Failed and Error
 * roll back, Inconclusive pauses with the reason. Anything else (no result yet, still measuring)
 * waits. Part of the pure core.
 */
final class AnalysisGate {
  /** Status messages are bounded; the evidence record keeps the full text. */
  static final int MAX_MESSAGE = 300;

  static final Duration MIN_RECHECK = Duration.ofSeconds(1);

  private AnalysisGate() {}

  /** Returns true when the analysis step {@code i} is complete now. */
  static boolean step(Ctx c, String canary, int i, AnalysisStep analysis, String label) {
    Draft d = c.d();
    RunResult run = c.obs().analysis().get(i);
    AnalysisResult r = run == null ? null : run.result();
    if (r == null || !r.verdict().isTerminal()) {
      d.act(new Action.StartAnalysis(canary, i, analysis));
      // Analysis bounds its own time (interval x count); the progress deadline is for the world.
      d.deadlineExempt = true;
      RolloutDecider.waitFor(
          c, label + ": analysis running" + (run == null ? "" : " (" + r.reason() + ")"));
      recheckAt(c, run);
      return false;
    }
    recordVerdict(d, String.valueOf(i), r, label);
    switch (r.verdict()) {
      case Successful -> {
        return true;
      }
      case Inconclusive -> {
        d.addPause(
            PauseReason.AnalysisInconclusive,
            null,
            label + ": analysis inconclusive: " + bounded(r.reason()));
        d.transition(canary, Paused, "AnalysisInconclusive", label + ": " + r.reason());
        return false;
      }
      case Failed, Error -> {
        RolloutDecider.rollback(
            c,
            canary,
            r.verdict() == Verdict.Failed ? "AnalysisFailed" : "AnalysisError",
            label + ": analysis " + r.verdict() + ": " + r.reason());
        return false;
      }
      case Running -> throw new IllegalStateException("unreachable");
    }
    return false;
  }

  /**
   * Background analysis runs beside the steps, also while paused: the canary keeps serving. A bad
   * signal rolls back at once; Inconclusive pauses, and the run starts afresh once resumed.
   */
  static void background(Ctx c, String canary) {
    AnalysisStep bg = c.spec().strategy().plan().backgroundAnalysis();
    if (bg == null) {
      return;
    }
    Draft d = c.d();
    RunResult run = c.obs().analysis().get(Observations.BACKGROUND);
    AnalysisResult r = run == null ? null : run.result();
    if (r == null || !r.verdict().isTerminal()) {
      if (d.s.state != Paused || !d.hasPause(PauseReason.AnalysisInconclusive)) {
        d.act(new Action.StartAnalysis(canary, Observations.BACKGROUND, bg));
        recheckAt(c, run);
      }
      return;
    }
    recordVerdict(d, "background", r, "background analysis");
    switch (r.verdict()) {
      case Successful -> {}
      case Inconclusive -> {
        d.addPause(
            PauseReason.AnalysisInconclusive,
            null,
            "background analysis inconclusive: " + bounded(r.reason()));
        d.act(new Action.ForgetAnalysis(canary, Observations.BACKGROUND));
      }
      case Failed, Error ->
          RolloutDecider.rollback(
              c,
              canary,
              r.verdict() == Verdict.Failed ? "AnalysisFailed" : "AnalysisError",
              "background analysis " + r.verdict() + ": " + r.reason());
      case Running -> throw new IllegalStateException("unreachable");
    }
  }

  /** The canary's runs as a bounded status summary; dropped when a new revision starts. */
  static void summarize(Ctx c) {
    Draft d = c.d();
    // Planned for the canary in flight, or (settled) for the next one from today's traffic, so that
    // `kubectl slipway lint` can warn before a commit; an empty plan is no field at all.
    List<StepPlan> plan = c.obs().analysisPlan();
    d.s.analysisPlan = plan == null || plan.isEmpty() ? null : plan;
    boolean restarted = d.actions.stream().anyMatch(a -> a instanceof Action.ResetAnalysis);
    if (d.s.canaryRevision == null || restarted || c.obs().analysis().isEmpty()) {
      d.s.analysisRuns = restarted || d.s.canaryRevision == null ? null : d.s.analysisRuns;
      return;
    }
    List<AnalysisRunStatus> runs = new ArrayList<>();
    for (Map.Entry<Integer, RunResult> e : new TreeMap<>(c.obs().analysis()).entrySet()) {
      List<MetricStatus> metrics = new ArrayList<>();
      for (MetricSummary m : e.getValue().metrics()) {
        metrics.add(
            new MetricStatus(
                m.name(),
                m.verdict().name(),
                bounded(m.reason()),
                finite(m.lastValue()),
                finite(m.lastBaseline()),
                m.condition(),
                m.measurements(),
                m.failed(),
                m.inconclusive(),
                m.errors(),
                m.dryRun() ? Boolean.TRUE : null));
      }
      AnalysisResult r = e.getValue().result();
      boolean stepless =
          e.getKey() == Observations.BACKGROUND || e.getKey() == PostPromotionWindow.KEY;
      String prefix =
          e.getKey() == PostPromotionWindow.KEY
              ? "post-promotion: "
              : e.getKey() == Observations.BACKGROUND ? "background: " : "";
      runs.add(
          new AnalysisRunStatus(
              stepless ? null : e.getKey(),
              r.verdict().name(),
              bounded(prefix + r.reason()),
              metrics.isEmpty() ? null : metrics));
    }
    d.s.analysisRuns = runs.size() > 8 ? runs.subList(runs.size() - 8, runs.size()) : runs;
  }

  private static void recheckAt(Ctx c, RunResult run) {
    if (run == null) {
      // The run starts with this pass's actions: come back for its first measurement, which no
      // event of the cluster's would otherwise prompt (a sequential metric looks a second later).
      c.d().requeueIn(MIN_RECHECK);
      return;
    }
    if (run.nextMeasurementAt() != null) {
      Duration wait = Duration.between(c.d().now, run.nextMeasurementAt());
      c.d().requeueIn(wait.compareTo(MIN_RECHECK) < 0 ? MIN_RECHECK : wait);
    }
  }

  /**
   * Records a verdict once in status, with an Event the first time it is seen. Returns whether this
   * is that first time.
   */
  static boolean recordVerdict(Draft d, String key, AnalysisResult r, String label) {
    String entry = key + "=" + r.verdict();
    List<String> cur = d.s.analysisVerdicts == null ? List.of() : d.s.analysisVerdicts;
    if (cur.contains(entry)) {
      return false;
    }
    List<String> next =
        new ArrayList<>(cur.stream().filter(e -> !e.startsWith(key + "=")).toList());
    next.add(entry);
    d.s.analysisVerdicts = next;
    // Failed and Error are told by the rollback's own Event; one Event per fact.
    if (r.verdict() == Verdict.Successful || r.verdict() == Verdict.Inconclusive) {
      d.act(
          new Action.Emit(
              r.verdict() != Verdict.Successful,
              "Analysis" + r.verdict(),
              label + ": " + r.reason()));
    }
    return true;
  }

  /** JSON has no NaN or infinity; status carries only finite values. */
  private static Double finite(Double v) {
    return v == null || v.isNaN() || v.isInfinite() ? null : v;
  }

  static String bounded(String s) {
    return s == null || s.length() <= MAX_MESSAGE ? s : s.substring(0, MAX_MESSAGE - 3) + "...";
  }
}
