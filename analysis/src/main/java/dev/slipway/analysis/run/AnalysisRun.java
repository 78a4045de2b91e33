package dev.slipway.analysis.run;

import dev.slipway.analysis.AnalysisResult;
import dev.slipway.analysis.Verdict;
import dev.slipway.analysis.judge.Judge;
import dev.slipway.analysis.judge.Measurement;
import dev.slipway.analysis.judge.MetricVerdicts;
import dev.slipway.analysis.promql.AnalysisArgs;
import dev.slipway.analysis.sequential.SequentialJudge;
import dev.slipway.analysis.spec.MetricSpec;
import dev.slipway.analysis.spec.Query;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One analysis run: its metrics and the measurements taken so far. Immutable and pure; the {@link
 * AnalysisDriver} takes measurements and folds them in. A metric's first measurement is due at
 * start + initialDelay, each next one an interval after the previous one started: a late reconcile
 * delays the schedule rather than firing a burst of catch-up measurements.
 */
public record AnalysisRun(
    List<MetricSpec> metrics,
    AnalysisArgs args,
    Instant startedAt,
    Map<String, List<Measurement>> measurements) {
  static final Duration RESUME_SLACK = Duration.ofMinutes(5);

  public AnalysisRun {
    metrics = List.copyOf(metrics);
    Objects.requireNonNull(args, "args");
    Objects.requireNonNull(startedAt, "startedAt");
    Map<String, List<Measurement>> copy = new LinkedHashMap<>();
    measurements.forEach((k, v) -> copy.put(k, List.copyOf(v)));
    measurements = Map.copyOf(copy);
    if (metrics.isEmpty())
      throw new IllegalArgumentException("an analysis needs at least one metric");
    if (metrics.stream().map(MetricSpec::name).distinct().count() != metrics.size()) {
      throw new IllegalArgumentException("metric names must be unique within an analysis");
    }
  }

  public static AnalysisRun start(List<MetricSpec> metrics, AnalysisArgs args, Instant now) {
    return new AnalysisRun(metrics, args, now, Map.of());
  }

  /**
   * A run taken up again from its recorded measurements (after a controller restart), if it is
   * recent: its last measurement no older than two of the longest intervals plus five minutes, so a
   * stale leftover is never continued. Measurements of metrics no longer planned are dropped.
   */
  public static Optional<AnalysisRun> resume(
      List<MetricSpec> metrics,
      AnalysisArgs args,
      Instant startedAt,
      List<Measurement> recorded,
      Instant now) {
    Set<String> names = new HashSet<>();
    metrics.forEach(m -> names.add(m.name()));
    Map<String, List<Measurement>> byMetric = new LinkedHashMap<>();
    Instant last = null;
    for (Measurement m : recorded) {
      if (!names.contains(m.metric()) || m.startedAt() == null) continue;
      byMetric.computeIfAbsent(m.metric(), x -> new ArrayList<>()).add(m);
      last = last == null || m.startedAt().isAfter(last) ? m.startedAt() : last;
    }
    Duration longest =
        metrics.stream()
            .map(m -> m.schedule().interval())
            .max(Duration::compareTo)
            .orElse(Duration.ZERO);
    if (last == null || last.plus(longest.multipliedBy(2)).plus(RESUME_SLACK).isBefore(now)) {
      return Optional.empty();
    }
    return Optional.of(new AnalysisRun(metrics, args, startedAt, byMetric));
  }

  public List<Measurement> of(String metric) {
    return measurements.getOrDefault(metric, List.of());
  }

  public AnalysisRun with(Measurement m) {
    Map<String, List<Measurement>> next = new LinkedHashMap<>(measurements);
    List<Measurement> list = new ArrayList<>(of(m.metric()));
    list.add(m);
    next.put(m.metric(), list);
    return new AnalysisRun(metrics, args, startedAt, next);
  }

  /** Metrics whose next measurement is due at {@code now}, and whose outcome is still open. */
  public List<MetricSpec> due(Instant now) {
    if (!overall().verdict().equals(Verdict.Running)) return List.of();
    return metrics.stream()
        .filter(m -> verdictOf(m).verdict() == Verdict.Running)
        .filter(m -> !now.isBefore(dueAt(m)))
        .toList();
  }

  Instant dueAt(MetricSpec m) {
    List<Measurement> taken = of(m.name());
    if (taken.isEmpty()) {
      // A look counts what was served since the last one: the first is an interval after the start.
      Duration first =
          m.query() instanceof Query.Sequential
                  && m.schedule().interval().compareTo(m.schedule().initialDelay()) > 0
              ? m.schedule().interval()
              : m.schedule().initialDelay();
      return startedAt.plus(first);
    }
    return taken.get(taken.size() - 1).startedAt().plus(m.schedule().interval());
  }

  public AnalysisResult verdictOf(MetricSpec m) {
    if (m.query() instanceof Query.Sequential s) {
      return SequentialJudge.evaluate(s.spec(), m.schedule(), startedAt, of(m.name()));
    }
    return MetricVerdicts.evaluate(m.schedule(), of(m.name()));
  }

  /**
   * Failed or Error of any deciding metric ends the run at once (the first trustworthy bad signal);
   * otherwise it runs until every deciding metric is done. Dry-run metrics never decide.
   */
  public AnalysisResult overall() {
    List<String> inconclusive = new ArrayList<>();
    boolean running = false;
    for (MetricSpec m : metrics) {
      if (m.dryRun()) continue;
      AnalysisResult r = verdictOf(m);
      switch (r.verdict()) {
        case Failed, Error -> {
          return AnalysisResult.of(r.verdict(), m.name() + ": " + r.reason());
        }
        case Inconclusive -> inconclusive.add(m.name() + ": " + r.reason());
        case Running -> running = true;
        case Successful -> {}
      }
    }
    if (running) return AnalysisResult.of(Verdict.Running, "measuring");
    if (!inconclusive.isEmpty())
      return AnalysisResult.of(Verdict.Inconclusive, String.join("; ", inconclusive));
    return AnalysisResult.of(Verdict.Successful, "every metric met its condition");
  }

  public RunResult result() {
    AnalysisResult overall = overall();
    Instant next = null;
    if (overall.verdict() == Verdict.Running) {
      for (MetricSpec m : metrics) {
        if (verdictOf(m).verdict() == Verdict.Running) {
          Instant at = dueAt(m);
          next = next == null || at.isBefore(next) ? at : next;
        }
      }
    }
    List<MetricSummary> summaries = new ArrayList<>();
    for (MetricSpec m : metrics) {
      List<Measurement> ms = of(m.name());
      Measurement last = ms.isEmpty() ? null : ms.get(ms.size() - 1);
      AnalysisResult r = verdictOf(m);
      summaries.add(
          new MetricSummary(
              m.name(),
              r.verdict(),
              r.reason(),
              last == null ? null : last.value(),
              last == null ? null : last.baselineValue(),
              Judge.condition(m),
              ms.size(),
              count(ms, Verdict.Failed),
              count(ms, Verdict.Inconclusive),
              count(ms, Verdict.Error),
              m.dryRun()));
    }
    List<Measurement> all = new ArrayList<>();
    for (MetricSpec m : metrics) {
      all.addAll(of(m.name()));
    }
    all.sort(Comparator.comparing(Measurement::startedAt));
    Map<String, MetricSpec> sequential = new LinkedHashMap<>();
    for (MetricSpec m : metrics) {
      if (m.query() instanceof Query.Sequential) sequential.put(m.name(), m);
    }
    return new RunResult(overall, next, summaries, startedAt, all, sequential);
  }

  private static int count(List<Measurement> ms, Verdict v) {
    return (int) ms.stream().filter(m -> m.verdict() == v).count();
  }
}
