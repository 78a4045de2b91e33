package dev.slipway.controller.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.analysis.AnalysisResult;
import dev.slipway.analysis.Verdict;
import dev.slipway.api.v1alpha1.AnalysisStep;
import dev.slipway.api.v1alpha1.CanaryStep;
import dev.slipway.api.v1alpha1.RequestAction;
import dev.slipway.api.v1alpha1.RevisionState;
import dev.slipway.api.v1alpha1.RolloutSpec;
import dev.slipway.api.v1alpha1.SetCanaryScale;
import dev.slipway.api.v1alpha1.WorkloadRef;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A StatefulSet walked in place by its partition (issue 29): the same steps, analysis and rollback
 * as a canary of ReplicaSets, carried out as partitions and pod replacements, against a simulated
 * StatefulSet controller ({@link StatefulSetSim}).
 */
class StatefulSetDeciderTest {
  static final CanaryStep ANALYSIS = CanaryStep.analysis(AnalysisStep.templates("t"));

  /** Partition 2, analysis, partition 1, analysis; promotion takes it to 0. */
  static final RolloutSpec WALK = inPlace(3, scale(1), ANALYSIS, scale(2), ANALYSIS);

  static CanaryStep scale(int replicas) {
    return CanaryStep.scale(new SetCanaryScale(replicas, null, null));
  }

  static RolloutSpec inPlace(int replicas, CanaryStep... steps) {
    return Fixtures.spec(steps)
        .withReplicas(replicas)
        .withWorkloadRef(new WorkloadRef(WorkloadRef.Kind.StatefulSet, "db"));
  }

  /** h1 stable on every ordinal of a 3-replica StatefulSet, its partition held. */
  static World stable(RolloutSpec spec) {
    World w = new World();
    w.sts = new StatefulSetSim(spec.replicasOrDefault(), "h1");
    w.settle(spec, "h1", 10);
    assertEquals(RevisionState.Stable, w.status.state());
    w.log.clear();
    w.sts.partitions.clear();
    return w;
  }

  @Test
  void theFirstRevisionIsStableAndThePartitionHeldSoATemplateChangeUpdatesNothing() {
    World w = new World();
    w.sts = new StatefulSetSim(3, "h1");
    w.settle(WALK, "h1", 10);
    assertEquals(RevisionState.Stable, w.status.state());
    assertEquals(3, w.sts.partition, "held at spec.replicas");
    assertEquals("3/3 ordinals [0, 1, 2], partition 3", w.status.updated());
    assertEquals(List.of(3), w.sts.partitions);
    w.sts.partitions.clear();
    // Argo CD applies h2: the pass that sees it is the first to lower the partition.
    w.podsGetReady = false;
    w.step(WALK, "h2");
    assertEquals(List.of(2), w.sts.partitions, "one ordinal, the highest");
  }

  @Test
  void aGoodRevisionWalksPartitionTwoOneZeroAndIsHeldAgain() {
    World w = stable(WALK);
    w.observeServices = true;
    w.stableSelects = "h1";
    w.canarySelects = "h1";
    w.verdicts.put("h2/1", AnalysisResult.of(Verdict.Successful, "ok"));
    w.verdicts.put("h2/3", AnalysisResult.of(Verdict.Successful, "ok"));
    w.settle(WALK, "h2", 60);
    assertEquals(RevisionState.Stable, w.status.state());
    assertEquals("h2", w.status.stableRevision());
    assertEquals(List.of(2, 1, 0, 3), w.sts.partitions);
    assertEquals("h2", w.sts.current);
    assertEquals(List.of(), w.sts.replaced, "its own controller updated every pod");
    assertEquals(List.of("h2", "h2", "h2"), Arrays.asList(w.sts.revisions));
    assertEquals("3/3 ordinals [0, 1, 2], partition 3", w.status.updated());
    // Promotion, traffic first: ordinal 0 (the last on h1) loses both Services before its pod.
    int point = w.log.indexOf(new Action.PointServices("h2", "h2"));
    int last = w.log.indexOf(new Action.SetPartition("db", 0));
    assertTrue(
        point >= 0 && point < last, "Services moved at " + point + ", partition 0 at " + last);
  }

  @Test
  void aBadRevisionIsRolledBackAtTheFirstStepOnItsOrdinalOnlyTrafficFirst() {
    World w = stable(WALK);
    w.verdicts.put("h2/1", AnalysisResult.of(Verdict.Failed, "success rate 0.80 < 0.99"));
    w.settle(WALK, "h2", 60);
    assertEquals(RevisionState.RolledBack, w.status.state());
    assertEquals(List.of(2, 3), w.sts.partitions);
    assertEquals(List.of("2:h2->h1"), w.sts.replaced);
    assertEquals(List.of("h1", "h1", "h1"), Arrays.asList(w.sts.revisions));
    assertEquals(0, w.sts.restarts[0], "ordinal 0 never restarted");
    assertEquals(0, w.sts.restarts[1], "ordinal 1 never restarted");
    assertEquals("h1", w.sts.current);
    // Traffic first: the replacement came after weight 0.
    int replace = indexOf(w, Action.ReplacePod.class);
    assertEquals(0, (int) w.weightAtAction.get(replace));
    assertTrue(w.status.message().startsWith("rolled back:"), w.status.message());
    assertEquals("0/3 ordinals, partition 3", w.status.updated());
  }

  @Test
  void anAbortReplacesTheUpdatedOrdinalsHighestFirstEachOnceThePreviousIsReady() {
    World w = stable(WALK);
    w.verdicts.put("h2/1", AnalysisResult.of(Verdict.Successful, "ok"));
    // Up to the second analysis, ordinals 1 and 2 on h2 and Ready.
    for (int i = 0; i < 40 && !Integer.valueOf(3).equals(w.status.currentStepIndex()); i++) {
      w.step(WALK, "h2");
    }
    w.step(WALK, "h2");
    assertEquals(List.of("h1", "h2", "h2"), Arrays.asList(w.sts.revisions));
    // Its verdict fails; from now on a replaced pod comes up slowly: nothing more is replaced
    // until the one before is Ready.
    w.verdicts.put("h2/3", AnalysisResult.of(Verdict.Failed, "p99 0.9 s > 0.3 s"));
    w.podsGetReady = false;
    w.step(WALK, "h2");
    assertEquals(RevisionState.RolledBack, w.status.state());
    assertEquals(List.of("h1", "h2", "h1"), Arrays.asList(w.sts.revisions));
    for (int i = 0; i < 5; i++) w.step(WALK, "h2");
    assertEquals(List.of("2:h2->h1"), w.sts.replaced);
    assertTrue(w.status.message().contains("waiting for every pod"), w.status.message());
    w.podsGetReady = true;
    w.settle(WALK, "h2", 20);
    assertEquals(List.of("2:h2->h1", "1:h2->h1"), w.sts.replaced);
    assertEquals(0, w.sts.restarts[0], "ordinal 0 never restarted");
    assertEquals(List.of("h1", "h1", "h1"), Arrays.asList(w.sts.revisions));
  }

  @Test
  void theCanaryNeverTakesEveryOrdinalBeforePromotionSoARollbackHasARevisionToReturnTo() {
    RolloutSpec spec = inPlace(3, CanaryStep.weight(100), ANALYSIS);
    World w = stable(spec);
    w.verdicts.put("h2/1", AnalysisResult.of(Verdict.Failed, "bad"));
    w.settle(spec, "h2", 60);
    assertEquals(RevisionState.RolledBack, w.status.state());
    assertEquals(List.of(2, 1, 3), w.sts.partitions, "two of three ordinals at most");
    assertEquals("h1", w.sts.current);
    assertEquals(List.of("h1", "h1", "h1"), Arrays.asList(w.sts.revisions));
  }

  @Test
  void aTemplateRevertedMidCanaryIsUndoneByTheStatefulSetAfterItsTrafficIsOff() {
    World w = stable(WALK);
    w.podsGetReady = true;
    for (int i = 0; i < 6; i++) w.step(WALK, "h2");
    assertEquals("h2", w.sts.revisions[2]);
    w.sts.partitions.clear();
    w.settle(WALK, "h1", 30);
    assertEquals(RevisionState.Stable, w.status.state());
    assertEquals(List.of("h1", "h1", "h1"), Arrays.asList(w.sts.revisions));
    assertEquals(List.of(0, 3), w.sts.partitions, "its controller rolls ordinal 2 back");
    assertEquals(List.of(), w.sts.replaced);
  }

  @Test
  void aRestartReplacesEveryOrdinalOnceOnItsOwnRevisionOneAtATime() {
    World w = stable(WALK);
    w.stsPods = true;
    w.now = w.now.plusSeconds(60);
    w.step(WALK, "h1", RequestAction.Restart);
    w.settle(WALK, "h1", 60);
    assertTrue(w.status.restartedAt() != null, "the restart finished: " + w.status);
    assertEquals(List.of(1, 1, 1), Arrays.stream(w.sts.restarts).boxed().toList());
    assertEquals(List.of("h1", "h1", "h1"), Arrays.asList(w.sts.revisions));
    assertEquals(3, w.sts.partition, "the partition stays held");
    assertEquals(List.of(), w.sts.partitions, "and is never lowered while a pod is not Ready");
    assertEquals(RevisionState.Stable, w.status.state());
  }

  /**
   * A template applied while a restart waits for its pod to come back updates no ordinal before its
   * steps say so (the partition was once lowered to 0 for the wait, and the StatefulSet's
   * controller then took every ordinal to the new revision, seed -8961609481629481381).
   */
  @Test
  void aTemplateAppliedMidRestartWaitsForItsSteps() {
    World w = stable(WALK);
    w.stsPods = true;
    w.now = w.now.plusSeconds(60);
    w.podsGetReady = false;
    w.step(WALK, "h1", RequestAction.Restart);
    w.step(WALK, "h1");
    assertEquals(3, w.sts.partition, "held while the restarted pod is not Ready");
    w.podsGetReady = true;
    for (int i = 0; i < 5; i++) w.step(WALK, "h2");
    assertEquals(
        List.of("h1", "h1", "h2"),
        Arrays.asList(w.sts.revisions),
        "the first step's one ordinal, no other before its analysis");
  }

  /**
   * The partition set to 0 by hand mid-canary: its controller takes every ordinal to the canary and
   * makes it current before the next pass puts the partition back, so a replaced pod would come
   * back on the canary. The rollback writes the stable template back from its ControllerRevision,
   * and the StatefulSet's own rolling update returns every ordinal to it; Git's template, synced
   * back later, moves no pod, and a retry waits for it.
   */
  @Test
  void aCanaryItsControllerMadeCurrentIsRolledBackByWritingTheStableTemplateBack() {
    World w = stable(WALK);
    for (int i = 0; i < 3; i++) w.step(WALK, "h2");
    assertEquals(List.of("h1", "h1", "h2"), Arrays.asList(w.sts.revisions));
    w.sts.partition = 0;
    for (int i = 0; i < 3; i++) w.sts.tick(true);
    assertEquals(List.of("h2", "h2", "h2"), Arrays.asList(w.sts.revisions));
    assertEquals("h2", w.sts.current, "every ordinal ran it");
    w.verdicts.put("h2/1", AnalysisResult.of(Verdict.Failed, "success rate 0.80 < 0.99"));
    w.settle(WALK, "h2", 60);
    assertEquals(RevisionState.RolledBack, w.status.state());
    assertEquals(List.of("h1"), w.sts.written, "the stable template, once");
    assertEquals("h2", w.status.templateRestoredFor());
    assertEquals(List.of("h1", "h1", "h1"), Arrays.asList(w.sts.revisions));
    assertEquals("h1", w.sts.current);
    assertEquals(3, w.sts.partition, "held again");
    assertEquals(List.of(), w.sts.replaced, "its own controller moved every pod");
    // Traffic first: the template is written after weight 0.
    int write = indexOf(w, Action.WriteTemplate.class);
    assertEquals(0, (int) w.weightAtAction.get(write));
    assertTrue(w.status.message().startsWith("rolled back:"), w.status.message());
    // A retry waits for Git's template; a sync puts it back and moves no pod.
    Decision retry = w.step(WALK, "h2", RequestAction.Retry);
    assertEquals(RevisionState.RolledBack, w.status.state());
    assertTrue(
        retry.actionsOf(Action.Emit.class).stream()
            .anyMatch(e -> e.message().contains("StatefulSet db holds the template of h1")),
        retry.actions().toString());
    w.sts.applied = "h0";
    w.settle(WALK, "h2", 10);
    assertEquals("h2", w.sts.update, "Git's template, synced back");
    assertEquals(null, w.status.templateRestoredFor());
    assertEquals(List.of("h1", "h1", "h1"), Arrays.asList(w.sts.revisions));
    assertEquals(RevisionState.RolledBack, w.status.state());
  }

  private static int indexOf(World w, Class<? extends Action> kind) {
    for (int i = 0; i < w.log.size(); i++) if (kind.isInstance(w.log.get(i))) return i;
    throw new AssertionError("no " + kind.getSimpleName() + " in " + w.log);
  }
}
