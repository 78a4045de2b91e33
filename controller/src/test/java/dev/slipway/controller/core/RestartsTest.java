package dev.slipway.controller.core;

import static dev.slipway.controller.core.Fixtures.T0;
import static dev.slipway.controller.core.Fixtures.obs;
import static dev.slipway.controller.core.Fixtures.spec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.api.v1alpha1.CanaryStep;
import dev.slipway.api.v1alpha1.Condition;
import dev.slipway.api.v1alpha1.RequestAction;
import dev.slipway.api.v1alpha1.RevisionState;
import dev.slipway.api.v1alpha1.RolloutSpec;
import dev.slipway.api.v1alpha1.RolloutStatus;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * `restart`: the current pods go one at a time, oldest first, only while all are ready; nothing
 * else moves.
 */
class RestartsTest {
  static final RolloutSpec SPEC =
      spec(CanaryStep.weight(20), CanaryStep.pause(null), CanaryStep.weight(50));

  static RolloutStatus stable() {
    World w = RolloutDeciderTest.stableWorld(SPEC);
    assertEquals(RevisionState.Stable, w.status.state());
    return w.status;
  }

  static RolloutStatus restarting(RolloutStatus s, String at) {
    RolloutStatus.Builder b = s.toBuilder();
    b.restartAt = at;
    return b.build();
  }

  static List<Action.EvictPod> evictions(Decision d) {
    return d.actionsOf(Action.EvictPod.class);
  }

  static Condition condition(Decision d, String type) {
    return d.status().conditionsOrEmpty().stream()
        .filter(c -> c.type().equals(type))
        .findFirst()
        .orElse(null);
  }

  @Test
  void aRestartRequestStartsOneWithoutTouchingTheRevisionOrTraffic() {
    RolloutStatus before = stable();
    Decision d =
        RolloutDecider.decide(
            SPEC, before, obs("h1").rs("h1", 4, 4).request(RequestAction.Restart).build(), T0);
    assertEquals(T0.toString(), d.status().restartAt());
    assertTrue(
        d.status().lastAction().result().startsWith("restarting the pods created before " + T0),
        d.status().lastAction().result());
    assertEquals(before.stableRevision(), d.status().stableRevision());
    assertEquals(before.state(), d.status().state());
    assertTrue(evictions(d).isEmpty(), "its pods were not read in this pass: look again at once");
    assertEquals(Duration.ZERO, d.requeueAfter());
    assertTrue(d.actionsOf(Action.SetWeight.class).stream().allMatch(w -> w.canaryWeight() == 0));
    assertTrue(d.actionsOf(Action.RecordTransition.class).isEmpty());
  }

  @Test
  void evictsTheOldestPodOnlyWhenEveryPodIsReady() {
    RolloutStatus s = restarting(stable(), T0.toString());
    Fixtures.Obs all =
        obs("h1")
            .rs("h1", 3, 3)
            .pod("b", "h1", 50, true, false)
            .pod("a", "h1", 90, true, false)
            .pod("c", "h1", 10, true, false);
    Decision d = RolloutDecider.decide(SPEC, s, all.build(), T0.plusSeconds(1));
    assertEquals(
        List.of("a"),
        evictions(d).stream().map(Action.EvictPod::name).toList(),
        "oldest first, one at a time");
    assertEquals("uid-a", evictions(d).get(0).uid());
    assertEquals("EvictingPod", condition(d, "Restarting").reason());
    assertTrue(d.status().message().startsWith("restarting: 3 pod(s) left"), d.status().message());
    assertEquals(Restarts.POLL, d.requeueAfter());

    Decision leaving =
        RolloutDecider.decide(
            SPEC,
            s,
            obs("h1")
                .rs("h1", 3, 2)
                .pod("a", "h1", 90, false, true)
                .pod("b", "h1", 50, true, false)
                .pod("c", "h1", 10, true, false)
                .build(),
            T0.plusSeconds(2));
    assertTrue(evictions(leaving).isEmpty(), "one pod still terminating: wait");
    assertTrue(
        condition(leaving, "Restarting").message().contains("pod a is terminating"),
        condition(leaving, "Restarting").message());

    Decision unready =
        RolloutDecider.decide(
            SPEC,
            s,
            obs("h1")
                .rs("h1", 3, 2)
                .pod("b", "h1", 50, true, false)
                .pod("c", "h1", 10, true, false)
                .pod("d", "h1", -3, false, false)
                .build(),
            T0.plusSeconds(4));
    assertTrue(evictions(unready).isEmpty(), "the replacement is not ready yet: wait");
    assertTrue(condition(unready, "Restarting").message().contains("pod d is not ready"));

    Decision missing =
        RolloutDecider.decide(
            SPEC,
            s,
            obs("h1")
                .rs("h1", 3, 2)
                .pod("b", "h1", 50, true, false)
                .pod("c", "h1", 10, true, false)
                .build(),
            T0.plusSeconds(4));
    assertTrue(evictions(missing).isEmpty(), "the replacement is not even created yet: wait");

    Decision next =
        RolloutDecider.decide(
            SPEC,
            s,
            obs("h1")
                .rs("h1", 3, 3)
                .pod("b", "h1", 50, true, false)
                .pod("c", "h1", 10, true, false)
                .pod("d", "h1", -3, true, false)
                .build(),
            T0.plusSeconds(6));
    assertEquals(List.of("b"), evictions(next).stream().map(Action.EvictPod::name).toList());
  }

  @Test
  void endsWhenEveryPodIsYoungerThanTheRestart() {
    RolloutStatus s = restarting(stable(), T0.toString());
    Decision d =
        RolloutDecider.decide(
            SPEC,
            s,
            obs("h1")
                .rs("h1", 2, 2)
                .pod("d", "h1", -3, true, false)
                .pod("e", "h1", -8, true, false)
                .build(),
            T0.plusSeconds(10));
    assertNull(d.status().restartAt());
    assertEquals(T0.toString(), d.status().restartedAt());
    assertNull(condition(d, "Restarting"));
    assertTrue(
        d.actionsOf(Action.Emit.class).stream().anyMatch(e -> e.reason().equals("Restarted")));
    assertTrue(evictions(d).isEmpty());
  }

  @Test
  void aSecondRestartIsRefusedWhileOneRuns() {
    RolloutStatus s = restarting(stable(), T0.toString());
    Decision d =
        RolloutDecider.decide(
            SPEC,
            s,
            obs("h1")
                .rs("h1", 1, 1)
                .request(RequestAction.Restart)
                .pod("a", "h1", 90, true, false)
                .build(),
            T0.plusSeconds(1));
    assertTrue(
        d.status().lastAction().result().startsWith("refused: a restart is already under way"),
        d.status().lastAction().result());
    assertEquals(T0.toString(), d.status().restartAt(), "the running restart keeps its cut-off");
  }

  @Test
  void nothingToRestartBeforeTheFirstDeploy() {
    Decision d =
        RolloutDecider.decide(SPEC, null, obs("h1").request(RequestAction.Restart).build(), T0);
    assertTrue(
        d.status().lastAction().result().startsWith("refused: nothing to restart yet"),
        d.status().lastAction().result());
    assertNull(d.status().restartAt());
  }

  @Test
  void duringACanaryBothSidesRestartAndOtherRevisionsAreLeftAlone() {
    World w = RolloutDeciderTest.stableWorld(SPEC);
    w.settle(SPEC, "h2", 5);
    assertEquals(RevisionState.Paused, w.status.state());
    RolloutStatus s = restarting(w.status, T0.plusSeconds(3600).toString());
    Fixtures.Obs o =
        obs("h2")
            .rs("h1", 1, 1)
            .rs("h2", 1, 1)
            .rs("h0", 0, 0)
            .weight(20, true)
            .pod("old", "h0", 900, true, false)
            .pod("s1", "h1", 50, true, false)
            .pod("c1", "h2", 80, true, false);
    Decision d = RolloutDecider.decide(SPEC, s, o.build(), T0.plusSeconds(3601));
    assertEquals(
        List.of("c1"),
        evictions(d).stream().map(Action.EvictPod::name).toList(),
        "h0 is neither stable nor canary");
    assertEquals(RevisionState.Paused, d.status().state(), "a restart moves no step");
    assertEquals(w.status.currentStepIndex(), d.status().currentStepIndex());
    assertTrue(
        d.status().message().startsWith("paused"),
        "the canary keeps its own message: " + d.status().message());
  }
}
