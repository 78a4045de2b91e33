package dev.slipway.controller.analysis;

import dev.slipway.analysis.AnalysisResult;
import dev.slipway.analysis.Verdict;
import dev.slipway.analysis.run.AnalysisDriver;
import dev.slipway.analysis.run.AnalysisRun;
import dev.slipway.analysis.run.Providers;
import dev.slipway.analysis.run.RunResult;
import dev.slipway.api.v1alpha1.Rollout;
import dev.slipway.controller.core.Action;
import dev.slipway.controller.reconcile.AnalysisRunner;
import dev.slipway.analysis.judge.Measurement;
import dev.slipway.analysis.spec.MetricSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs analysis inside reconciles: {@link #results} takes the measurements that are due, so the
 * reconcile that reads them decides on them at once, and no thread of its own outlives a Rollout.
 * Runs live in memory, and their measurements in the evidence record: a restarted controller
 * resumes a recent run from the record (same run, same schedule) instead of measuring afresh.
 */
public final class MetricAnalysisRunner implements AnalysisRunner {
  private static final Logger LOG = LoggerFactory.getLogger(MetricAnalysisRunner.class);

  private final AnalysisPlans plans;
  private final AnalysisDriver driver;
  private final Clock clock;
  private final Map<Key, Entry> runs = new ConcurrentHashMap<>();
  /** Runs forgotten on purpose in this process: the next start measures afresh, never resumes. */
  private final Set<Key> forgotten = ConcurrentHashMap.newKeySet();
  private final RunHistory history;

  public MetricAnalysisRunner(AnalysisSources sources, Providers providers, Clock clock) {
    this(sources, providers, clock, RunHistory.NONE);
  }

  public MetricAnalysisRunner(AnalysisSources sources, Providers providers, Clock clock, RunHistory history) {
    this.plans = new AnalysisPlans(sources);
    this.driver = new AnalysisDriver(providers, clock);
    this.clock = clock;
    this.history = history;
  }

  @Override
  public void start(Rollout r, Action.StartAnalysis request) {
    Key key = new Key(r.getMetadata().getUid(), request.revision(), request.stepIndex());
    runs.computeIfAbsent(key, k -> {
      String stable = r.getStatus() == null ? null : r.getStatus().stableRevision();
      try {
        AnalysisPlans.Plan plan = plans.resolve(r, request.step(), stable, request.revision());
        if (!forgotten.remove(k)) {
          AnalysisRun resumed = resume(r, request, plan);
          if (resumed != null) return new Entry(resumed, null);
        }
        LOG.info("analysis of {}/{} step {} starts: {} metric(s) against {}", r.getMetadata().getNamespace(), r.getMetadata().getName(),
            request.stepIndex(), plan.metrics().size(), plan.metrics().stream().map(m -> m.provider().toString()).distinct().toList());
        return new Entry(AnalysisRun.start(plan.metrics(), plan.args(), clock.instant()), null);
      } catch (AnalysisConfigException e) {
        LOG.warn("analysis of {}/{} step {} cannot run: {}", r.getMetadata().getNamespace(), r.getMetadata().getName(),
            request.stepIndex(), e.getMessage());
        return new Entry(null, RunResult.fixed(AnalysisResult.of(Verdict.Error, e.getMessage()), clock.instant()));
      }
    });
  }

  /**
   * The run an earlier process recorded for this step, if it is recent: its last measurement no
   * older than two of the longest intervals plus five minutes (a restart, not a stale leftover).
   * Only measurements of metrics the plan still has are kept; the plan itself is resolved afresh.
   */
  private AnalysisRun resume(Rollout r, Action.StartAnalysis request, AnalysisPlans.Plan plan) {
    Optional<RunHistory.PastRun> past;
    try {
      past = history.latest(r, request.revision(), request.stepIndex());
    } catch (RuntimeException e) {
      LOG.warn("analysis of {}/{} step {}: the evidence record could not be read ({}); measuring afresh",
          r.getMetadata().getNamespace(), r.getMetadata().getName(), request.stepIndex(), e.getMessage());
      return null;
    }
    if (past.isEmpty() || past.get().measurements().isEmpty()) return null;
    Set<String> names = plan.metrics().stream().map(MetricSpec::name).collect(Collectors.toSet());
    Map<String, List<Measurement>> byMetric = new LinkedHashMap<>();
    for (Measurement m : past.get().measurements()) {
      if (names.contains(m.metric())) byMetric.computeIfAbsent(m.metric(), x -> new ArrayList<>()).add(m);
    }
    Instant last = past.get().measurements().get(past.get().measurements().size() - 1).startedAt();
    Duration longest = plan.metrics().stream().map(m -> m.schedule().interval()).max(Duration::compareTo).orElse(Duration.ZERO);
    if (byMetric.isEmpty() || last == null || last.plus(longest.multipliedBy(2)).plus(Duration.ofMinutes(5)).isBefore(clock.instant())) {
      return null;
    }
    AnalysisRun run = new AnalysisRun(plan.metrics(), plan.args(), past.get().startedAt(), byMetric);
    LOG.info("analysis of {}/{} step {} resumes the run started {} with {} recorded measurement(s)", r.getMetadata().getNamespace(),
        r.getMetadata().getName(), request.stepIndex(), past.get().startedAt(), byMetric.values().stream().mapToInt(List::size).sum());
    return run;
  }

  @Override
  public Map<Integer, RunResult> results(Rollout r, String revision) {
    Map<Integer, RunResult> out = new TreeMap<>();
    String uid = r.getMetadata().getUid();
    for (Map.Entry<Key, Entry> e : runs.entrySet()) {
      Key k = e.getKey();
      if (!k.uid().equals(uid) || !k.revision().equals(revision)) continue;
      Entry entry = e.getValue();
      if (entry.run() != null) {
        AnalysisRun advanced = driver.advance(entry.run());
        if (advanced != entry.run()) {
          runs.replace(k, entry, new Entry(advanced, null));
          logNew(r, k.step(), entry.run(), advanced);
        }
        out.put(k.step(), advanced.result());
      } else {
        out.put(k.step(), entry.fixed());
      }
    }
    return out;
  }

  /** One line per measurement: what was asked where, and the verdict. Targets print without credentials. */
  private static void logNew(Rollout r, int step, AnalysisRun before, AnalysisRun after) {
    if (!LOG.isDebugEnabled()) return;
    for (var m : after.metrics()) {
      var was = before.of(m.name()).size();
      for (var x : after.of(m.name()).subList(was, after.of(m.name()).size())) {
        LOG.debug("analysis {}/{} step {} metric {}: {} (value {}) from {} [{}]", r.getMetadata().getNamespace(),
            r.getMetadata().getName(), step, x.metric(), x.verdict(), x.value(), m.provider(), x.query());
      }
    }
  }

  @Override
  public void forget(Rollout r, String revision, int stepIndex) {
    Key k = new Key(r.getMetadata().getUid(), revision, stepIndex);
    runs.remove(k);
    forgotten.add(k);
  }

  @Override
  public void reset(Rollout r) {
    String uid = r.getMetadata().getUid();
    runs.keySet().removeIf(k -> k.uid().equals(uid));
    forgotten.removeIf(k -> k.uid().equals(uid));
  }

  private record Key(String uid, String revision, int step) {}

  /** A run in progress, or the fixed result of one that could not be built. */
  private record Entry(AnalysisRun run, RunResult fixed) {}
}
