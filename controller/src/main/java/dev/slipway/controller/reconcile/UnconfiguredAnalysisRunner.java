package dev.slipway.controller.reconcile;

import dev.slipway.analysis.AnalysisResult;
import dev.slipway.analysis.Verdict;
import dev.slipway.api.v1alpha1.Rollout;
import dev.slipway.controller.core.Action;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Used until a metric provider is wired in: an analysis step that cannot be run is an Error,
 * never a success.
 */
public final class UnconfiguredAnalysisRunner implements AnalysisRunner {
  private final Map<String, Map<Integer, AnalysisResult>> runs = new ConcurrentHashMap<>();

  @Override
  public void start(Rollout rollout, Action.StartAnalysis request) {
    runs.computeIfAbsent(key(rollout, request.revision()), k -> new ConcurrentHashMap<>())
        .put(request.stepIndex(), AnalysisResult.of(Verdict.Error, "no metric provider is configured for analysis"));
  }

  @Override
  public Map<Integer, AnalysisResult> results(Rollout rollout, String revision) {
    return Map.copyOf(runs.getOrDefault(key(rollout, revision), Map.of()));
  }

  @Override
  public void reset(Rollout rollout) {
    runs.keySet().removeIf(k -> k.startsWith(rollout.getMetadata().getUid() + "/"));
  }

  private static String key(Rollout r, String revision) {
    return r.getMetadata().getUid() + "/" + revision;
  }
}
