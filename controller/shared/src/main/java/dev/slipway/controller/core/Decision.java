package dev.slipway.controller.core;

import dev.slipway.api.v1alpha1.RolloutStatus;
import java.time.Duration;
import java.util.List;

/**
 * The output of one pure decision: the status to write, the actions to take, when to look again.
 */
public record Decision(RolloutStatus status, List<Action> actions, Duration requeueAfter) {

  public <T extends Action> List<T> actionsOf(Class<T> type) {
    return actions.stream().filter(type::isInstance).map(type::cast).toList();
  }
}
