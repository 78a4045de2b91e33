package dev.slipway.controller.analysis;

import dev.slipway.analysis.AnalysisResult;
import dev.slipway.analysis.Verdict;
import dev.slipway.analysis.run.AnalysisDriver;
import dev.slipway.analysis.run.AnalysisRun;
import dev.slipway.analysis.run.Providers;
import dev.slipway.analysis.run.RunResult;
import dev.slipway.api.v1alpha1.Rollout;
import dev.slipway.api.v1alpha1.StepPlan;
import dev.slipway.controller.core.Action;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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

  /** By Rollout uid, so a reconcile looks only at its own Rollout's runs. */
  private final Map<String, Runs> byRollout = new ConcurrentHashMap<>();

  private final RunHistory history;
  private final PowerPlanner planner;
  private final Providers providers;

  public MetricAnalysisRunner(AnalysisSources sources, Providers providers, Clock clock) {
    this(sources, providers, clock, RunHistory.NONE);
  }

  public MetricAnalysisRunner(
      AnalysisSources sources, Providers providers, Clock clock, RunHistory history) {
    this.plans = new AnalysisPlans(sources);
    this.driver = new AnalysisDriver(providers, clock);
    this.clock = clock;
    this.history = history;
    this.planner = new PowerPlanner(plans, providers, clock);
    this.providers = providers;
  }

  /**
   * Planned once per revision and generation (steps may change without the template), from the
   * stable's traffic when first seen: for the canary in flight, or for the next one.
   */
  @Override
  public List<StepPlan> powerPlan(Rollout r, String revision) {
    // Most Rollouts have no analysis step: they cost no state and no query.
    if (revision == null
        || r.getSpec().strategy().plan().stepsOrEmpty().stream()
            .allMatch(s -> s.analysis() == null)) {
      return List.of();
    }
    Runs mine = byRollout.computeIfAbsent(r.getMetadata().getUid(), u -> new Runs());
    return mine.plans.computeIfAbsent(
        revision + "/" + r.getMetadata().getGeneration(),
        key -> {
          try {
            List<StepPlan> p = planner.plan(r, revision);
            p.forEach(
                x ->
                    LOG.info(
                        "power plan of {}/{}: {}",
                        r.getMetadata().getNamespace(),
                        r.getMetadata().getName(),
                        x.message()));
            return p;
          } catch (RuntimeException e) {
            LOG.warn(
                "power plan of {}/{} failed: {}",
                r.getMetadata().getNamespace(),
                r.getMetadata().getName(),
                e.toString());
            return List.of();
          }
        });
  }

  @Override
  public void start(Rollout r, Action.StartAnalysis request) {
    Runs mine = byRollout.computeIfAbsent(r.getMetadata().getUid(), u -> new Runs());
    mine.runs.computeIfAbsent(
        new Key(request.revision(), request.stepIndex()),
        k -> {
          String stable = r.getStatus() == null ? null : r.getStatus().stableRevision();
          try {
            AnalysisPlans.Plan plan = plans.resolve(r, request.step(), stable, request.revision());
            if (!mine.forgotten.remove(k)) {
              Optional<AnalysisRun> resumed =
                  recorded(r, request)
                      .flatMap(
                          p ->
                              AnalysisRun.resume(
                                  plan.metrics(),
                                  plan.args(),
                                  p.startedAt(),
                                  p.measurements(),
                                  clock.instant()));
              if (resumed.isPresent()) {
                LOG.info(
                    "analysis of {}/{} step {} resumes the run started {} with {} recorded measurement(s)",
                    r.getMetadata().getNamespace(),
                    r.getMetadata().getName(),
                    request.stepIndex(),
                    resumed.get().startedAt(),
                    resumed.get().measurements().values().stream().mapToInt(List::size).sum());
                return new Entry(resumed.get(), null);
              }
            }
            LOG.info(
                "analysis of {}/{} step {} starts: {} metric(s) against {}",
                r.getMetadata().getNamespace(),
                r.getMetadata().getName(),
                request.stepIndex(),
                plan.metrics().size(),
                plan.metrics().stream().map(m -> m.provider().toString()).distinct().toList());
            return new Entry(AnalysisRun.start(plan.metrics(), plan.args(), clock.instant()), null);
          } catch (AnalysisConfigException e) {
            LOG.warn(
                "analysis of {}/{} step {} cannot run: {}",
                r.getMetadata().getNamespace(),
                r.getMetadata().getName(),
                request.stepIndex(),
                e.getMessage());
            return new Entry(
                null,
                RunResult.fixed(AnalysisResult.of(Verdict.Error, e.getMessage()), clock.instant()));
          }
        });
  }

  /**
   * The step's run as an earlier process recorded it; nothing when the record cannot be read (then
   * it measures afresh).
   */
  private Optional<RunHistory.PastRun> recorded(Rollout r, Action.StartAnalysis request) {
    try {
      return history.latest(r, request.revision(), request.stepIndex());
    } catch (RuntimeException e) {
      LOG.warn(
          "analysis of {}/{} step {}: the evidence record could not be read ({}); measuring afresh",
          r.getMetadata().getNamespace(),
          r.getMetadata().getName(),
          request.stepIndex(),
          e.getMessage());
      return Optional.empty();
    }
  }

  @Override
  // The driver returns the very run it was given when nothing advanced (identity, not equality);
  // runs is a ConcurrentHashMap, whose iterators tolerate the replace.
  @SuppressWarnings({"ReferenceEquality", "ModifyCollectionInEnhancedForLoop"})
  public Map<Integer, RunResult> results(Rollout r, String revision) {
    Map<Integer, RunResult> out = new TreeMap<>();
    Runs mine = byRollout.get(r.getMetadata().getUid());
    if (mine == null) return out;
    for (Map.Entry<Key, Entry> e : mine.runs.entrySet()) {
      Key k = e.getKey();
      if (!k.revision().equals(revision)) continue;
      Entry entry = e.getValue();
      if (entry.run() != null && mine.stopped.contains(k)) {
        out.put(k.step(), entry.run().result());
      } else if (entry.run() != null) {
        AnalysisRun advanced = driver.advance(entry.run());
        if (advanced != entry.run()) {
          mine.runs.replace(k, entry, new Entry(advanced, null));
          logNew(r, k.step(), entry.run(), advanced);
        }
        out.put(k.step(), advanced.result());
      } else {
        out.put(k.step(), entry.fixed());
      }
    }
    return out;
  }

  /**
   * One line per measurement: what was asked where, and the verdict. Targets print without
   * credentials.
   */
  private static void logNew(Rollout r, int step, AnalysisRun before, AnalysisRun after) {
    if (!LOG.isDebugEnabled()) return;
    for (var m : after.metrics()) {
      var was = before.of(m.name()).size();
      for (var x : after.of(m.name()).subList(was, after.of(m.name()).size())) {
        LOG.debug(
            "analysis {}/{} step {} metric {}: {} (value {}) from {} [{}]",
            r.getMetadata().getNamespace(),
            r.getMetadata().getName(),
            step,
            x.metric(),
            x.verdict(),
            x.value(),
            m.provider(),
            x.query());
      }
    }
  }

  @Override
  public void forget(Rollout r, String revision, int stepIndex) {
    Runs mine = byRollout.computeIfAbsent(r.getMetadata().getUid(), u -> new Runs());
    Key k = new Key(revision, stepIndex);
    mine.runs.remove(k);
    mine.stopped.remove(k);
    mine.forgotten.add(k);
  }

  @Override
  public void stop(Rollout r, String revision) {
    Runs mine = byRollout.get(r.getMetadata().getUid());
    if (mine != null) {
      // Their results stay readable, but nothing more is measured: a later pass would otherwise
      // create the deleted Job again under its fixed name.
      mine.runs.keySet().stream()
          .filter(k -> k.revision().equals(revision))
          .forEach(mine.stopped::add);
    }
    providers.jobs().cancel(r.getMetadata().getNamespace(), r.getMetadata().getName(), revision);
  }

  @Override
  public void reset(Rollout r) {
    byRollout.remove(r.getMetadata().getUid());
  }

  private record Key(String revision, int step) {}

  /** A run in progress, or the fixed result of one that could not be built. */
  private record Entry(AnalysisRun run, RunResult fixed) {}

  /**
   * One Rollout's runs, those it forgot on purpose (their next start measures afresh, never
   * resumes), and those stopped with their revision (read, never advanced).
   */
  private static final class Runs {
    final Map<Key, Entry> runs = new ConcurrentHashMap<>();
    final Set<Key> forgotten = ConcurrentHashMap.newKeySet();
    final Set<Key> stopped = ConcurrentHashMap.newKeySet();
    final Map<String, List<StepPlan>> plans = new ConcurrentHashMap<>();
  }
}
