package dev.slipway.controller.core.fleet;

import java.util.List;

/**
 * One wave's members as the hub read them: every Rollout its selection resolved to, cluster by
 * cluster, and what kept it from resolving (a selection that matched no registered cluster, a
 * cluster whose registration is unusable).
 */
public record WaveView(String name, List<MemberView> members, List<String> problems) {
  public WaveView {
    members = List.copyOf(members);
    problems = List.copyOf(problems);
  }
}
