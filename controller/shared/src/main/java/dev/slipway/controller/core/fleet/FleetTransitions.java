package dev.slipway.controller.core.fleet;

import dev.slipway.api.v1alpha1.ReleasePhase;
import dev.slipway.api.v1alpha1.WaveStatus;
import java.util.Map;
import java.util.Set;

/**
 * The legal moves of a fleet release and of its waves. Every change the decider makes goes through
 * {@link #phase} and {@link #wave}; anything else is a bug and throws.
 */
public final class FleetTransitions {
  private FleetTransitions() {}

  private static final Map<ReleasePhase, Set<ReleasePhase>> PHASES =
      Map.of(
          ReleasePhase.Progressing,
          Set.of(
              ReleasePhase.Paused,
              ReleasePhase.Halted,
              ReleasePhase.Aborted,
              ReleasePhase.Succeeded),
          ReleasePhase.Paused,
          Set.of(ReleasePhase.Progressing, ReleasePhase.Halted, ReleasePhase.Aborted),
          ReleasePhase.Halted,
          Set.of(),
          ReleasePhase.Aborted,
          Set.of(),
          ReleasePhase.Succeeded,
          Set.of());

  private static final Map<String, Set<String>> WAVES =
      Map.of(
          WaveStatus.WAITING,
          Set.of(WaveStatus.OPEN),
          WaveStatus.OPEN,
          Set.of(WaveStatus.BAKING, WaveStatus.HALTED),
          // A Rollout that leaves Stable (or whose evidence stops verifying) while the wave bakes
          // sends it back to Open: the bake time starts again once all are Stable again.
          WaveStatus.BAKING,
          Set.of(WaveStatus.PASSED, WaveStatus.OPEN, WaveStatus.HALTED),
          WaveStatus.PASSED,
          Set.of(),
          WaveStatus.HALTED,
          Set.of());

  public static boolean isLegal(ReleasePhase from, ReleasePhase to) {
    return from == to || from == null || PHASES.get(from).contains(to);
  }

  public static boolean isLegal(String from, String to) {
    return from.equals(to) || WAVES.getOrDefault(from, Set.of()).contains(to);
  }

  public static ReleasePhase phase(ReleasePhase from, ReleasePhase to) {
    if (!isLegal(from, to)) throw new IllegalStateException("release " + from + " -> " + to);
    return to;
  }

  public static String wave(String from, String to) {
    if (!isLegal(from, to)) throw new IllegalStateException("wave " + from + " -> " + to);
    return to;
  }
}
