package dev.slipway.controller.core.fleet;

import dev.slipway.api.v1alpha1.ReleaseStatus;
import java.time.Duration;
import java.util.List;

/**
 * The hub's decision for one pass: the next status (written once, pinned), the requests to send to
 * member Rollouts, the Events to emit, the entries its own record owes (written first), and when to
 * look again (null: never; the release is over and nothing of it runs).
 */
public record FleetDecision(
    ReleaseStatus status,
    List<FleetAction> actions,
    List<FleetEvent> events,
    List<RecordNote> notes,
    Duration recheck) {
  public FleetDecision {
    actions = List.copyOf(actions);
    events = List.copyOf(events);
    notes = List.copyOf(notes);
  }
}
