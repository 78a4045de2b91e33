package dev.slipway.controller.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.slipway.api.v1alpha1.ManualRequest;
import dev.slipway.api.v1alpha1.RequestAction;
import dev.slipway.api.v1alpha1.RevisionState;
import dev.slipway.api.v1alpha1.Rollout;
import dev.slipway.api.v1alpha1.RolloutStatus;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class UrgencyTest {

  @Test
  void requestsFirstThenInFlightThenSettled() {
    assertEquals(Urgency.SETTLED, Urgency.of(rollout(s -> {})));
    assertEquals(
        Urgency.REQUEST,
        Urgency.of(rollout(s -> s.request = new ManualRequest(RequestAction.Abort, null))));
    assertEquals(
        Urgency.REQUEST,
        Urgency.of(
            rollout(
                s -> {
                  s.canaryRevision = "b";
                  s.request = new ManualRequest(RequestAction.Promote, null);
                })));
    Rollout deleting = rollout(s -> {});
    deleting.getMetadata().setDeletionTimestamp("2026-12-07T00:00:00Z");
    assertEquals(Urgency.REQUEST, Urgency.of(deleting));
    assertEquals(Urgency.ACTIVE, Urgency.of(rollout(s -> s.canaryRevision = "b")));
    assertEquals(Urgency.ACTIVE, Urgency.of(rollout(s -> s.state = RevisionState.RolledBack)));
    assertEquals(Urgency.ACTIVE, Urgency.of(rollout(s -> s.observedGeneration = 1L)));
    Rollout fresh = rollout(s -> {});
    fresh.setStatus(null);
    assertEquals(Urgency.ACTIVE, Urgency.of(fresh));
    assertEquals(Urgency.ACTIVE, Urgency.of(null));
  }

  /** A settled Rollout at generation 2, changed by {@code edit}. */
  private static Rollout rollout(Consumer<RolloutStatus.Builder> edit) {
    Rollout r = ClusterFixture.withName(ClusterFixture.spec("u:1"), "r", "ns");
    r.getMetadata().setGeneration(2L);
    RolloutStatus.Builder b = new RolloutStatus.Builder();
    b.observedGeneration = 2L;
    b.state = RevisionState.Stable;
    b.stableRevision = "a";
    edit.accept(b);
    r.setStatus(b.build());
    return r;
  }
}
