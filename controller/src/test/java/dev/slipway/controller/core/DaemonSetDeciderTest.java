package dev.slipway.controller.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.analysis.AnalysisResult;
import dev.slipway.analysis.Verdict;
import dev.slipway.api.v1alpha1.AnalysisStep;
import dev.slipway.api.v1alpha1.CanaryStep;
import dev.slipway.api.v1alpha1.Condition;
import dev.slipway.api.v1alpha1.RequestAction;
import dev.slipway.api.v1alpha1.RevisionState;
import dev.slipway.api.v1alpha1.RolloutSpec;
import dev.slipway.api.v1alpha1.SetCanaryScale;
import dev.slipway.api.v1alpha1.WorkloadRef;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A DaemonSet walked node by node (issue 29): the same steps, analysis and rollback as a canary of
 * ReplicaSets, carried out as pod replacements one node at a time and, for a rollback, a template
 * written back, against a simulated OnDelete DaemonSet ({@link DaemonSetSim}).
 */
class DaemonSetDeciderTest {
  static final CanaryStep ANALYSIS = CanaryStep.analysis(AnalysisStep.templates("t"));

  /** One node, analysis, half the nodes, analysis; promotion takes every node. */
  static final RolloutSpec WALK = nodeByNode(nodes(1), ANALYSIS, percent(50), ANALYSIS);

  static CanaryStep nodes(int n) {
    return CanaryStep.scale(new SetCanaryScale(n, null, null));
  }

  static CanaryStep percent(int p) {
    return CanaryStep.scale(new SetCanaryScale(null, p, null));
  }

  static RolloutSpec nodeByNode(CanaryStep... steps) {
    return Fixtures.spec(steps)
        .withReplicas(null)
        .withWorkloadRef(new WorkloadRef(WorkloadRef.Kind.DaemonSet, "agent"));
  }

  /** h1 stable on every node of a 4-node DaemonSet. */
  static World stable(RolloutSpec spec, int nodes) {
    World w = new World();
    w.ds = new DaemonSetSim(nodes, "h1");
    w.settle(spec, "h1", 10);
    assertEquals(RevisionState.Stable, w.status.state());
    assertEquals(List.of(), w.ds.replaced);
    w.log.clear();
    return w;
  }

  @Test
  void aTemplateFromGitReplacesNoPodUntilAStepSaysSoThenOneNode() {
    World w = stable(WALK, 4);
    assertEquals("4/4 nodes [node-0, node-1, node-2, node-3]", w.status.updated());
    w.podsGetReady = false;
    w.step(WALK, "h2");
    w.step(WALK, "h2");
    w.step(WALK, "h2");
    assertEquals(List.of("node-0:h1->h2"), w.ds.replaced, "one node, the first by name");
  }

  @Test
  void aGoodRevisionWalksOneNodeThenHalfThenAllEachOnceTheOneBeforeIsReady() {
    World w = stable(WALK, 4);
    w.observeServices = true;
    w.stableSelects = "h1";
    w.canarySelects = "h1";
    w.verdicts.put("h2/1", AnalysisResult.of(Verdict.Successful, "ok"));
    w.verdicts.put("h2/3", AnalysisResult.of(Verdict.Successful, "ok"));
    w.settle(WALK, "h2", 80);
    assertEquals(RevisionState.Stable, w.status.state());
    assertEquals("h2", w.status.stableRevision());
    assertEquals(
        List.of("node-0:h1->h2", "node-1:h1->h2", "node-2:h1->h2", "node-3:h1->h2"), w.ds.replaced);
    assertEquals(List.of("h2", "h2", "h2", "h2"), Arrays.asList(w.ds.revisions));
    assertEquals(List.of(), w.ds.written, "no template written: Git's is the one");
    assertEquals("4/4 nodes [node-0, node-1, node-2, node-3]", w.status.updated());
    // The analyses ran at one node, then at two.
    List<Action.ReplacePod> order =
        w.log.stream()
            .filter(Action.ReplacePod.class::isInstance)
            .map(Action.ReplacePod.class::cast)
            .toList();
    assertEquals(4, order.size());
    int firstAnalysis = -1;
    for (int i = 0; i < w.log.size() && firstAnalysis < 0; i++) {
      if (w.log.get(i) instanceof Action.Emit e && e.reason().equals("AnalysisSuccessful")) {
        firstAnalysis = i;
      }
    }
    assertTrue(
        w.log.indexOf(order.get(0)) < firstAnalysis && firstAnalysis < w.log.indexOf(order.get(1)),
        "one node before the first analysis: " + w.log);
    // Promotion, traffic first: both Services on h2 before the last h1 nodes go.
    int point = w.log.indexOf(new Action.PointServices("h2", "h2"));
    assertTrue(point >= 0 && point < w.log.indexOf(order.get(2)), "Services moved at " + point);
  }

  @Test
  void anAbortAfterTheFirstStepPutsTheOldTemplateBackAndRestoresThatNodeOnly() {
    World w = stable(WALK, 4);
    w.podsGetReady = true;
    for (int i = 0; i < 40 && !Integer.valueOf(1).equals(w.status.currentStepIndex()); i++) {
      w.step(WALK, "h2");
    }
    assertEquals(List.of("h2", "h1", "h1", "h1"), Arrays.asList(w.ds.revisions));
    w.step(WALK, "h2", RequestAction.Abort);
    w.settle(WALK, "h2", 40);
    assertEquals(RevisionState.RolledBack, w.status.state());
    assertEquals(List.of("h1"), w.ds.written, "the stable template, once");
    assertEquals(List.of("node-0:h1->h2", "node-0:h2->h1"), w.ds.replaced);
    assertEquals(List.of("h1", "h1", "h1", "h1"), Arrays.asList(w.ds.revisions));
    assertEquals(List.of(2, 0, 0, 0), Arrays.stream(w.ds.restarts).boxed().toList());
    assertEquals("h2", w.status.templateRestoredFor());
    assertEquals("h2", w.status.canaryRevision(), "the restored template is no revert");
    // Traffic first: the template went back only once the canary weight was 0.
    int write = indexOf(w, Action.WriteTemplate.class);
    assertEquals(0, (int) w.weightAtAction.get(write));
  }

  @Test
  void aBadRevisionIsRolledBackByAnalysisAndGitPuttingItsTemplateBackDoesNotFlap() {
    World w = stable(WALK, 4);
    w.verdicts.put("h2/1", AnalysisResult.of(Verdict.Failed, "success rate 0.80 < 0.99"));
    w.settle(WALK, "h2", 60);
    assertEquals(RevisionState.RolledBack, w.status.state());
    assertEquals(List.of("node-0:h1->h2", "node-0:h2->h1"), w.ds.replaced);
    assertEquals(List.of("h1"), w.ds.written);
    assertTrue(w.status.message().startsWith("rolled back:"), w.status.message());
    assertEquals("0/4 nodes", w.status.updated());
    // Argo CD's self-heal puts Git's template (h2) back: nothing is replaced or written again.
    w.ds.template = "h2";
    int transitions = w.transitions().size();
    w.settle(WALK, "h2", 20);
    assertEquals(RevisionState.RolledBack, w.status.state());
    assertEquals(List.of("h1"), w.ds.written);
    assertEquals(2, w.ds.replaced.size());
    assertEquals(transitions, w.transitions().size(), "no new attempt, no revert recorded");
    assertNull(w.status.templateRestoredFor(), "the template is Git's again");
    // A fixed revision from Git starts afresh.
    w.verdicts.put("h3/1", AnalysisResult.of(Verdict.Successful, "ok"));
    w.verdicts.put("h3/3", AnalysisResult.of(Verdict.Successful, "ok"));
    w.settle(WALK, "h3", 80);
    assertEquals("h3", w.status.stableRevision());
    assertEquals(List.of("h3", "h3", "h3", "h3"), Arrays.asList(w.ds.revisions));
  }

  @Test
  void aNodeNotReadyIsSkippedCountedOutAndNamed() {
    World w = stable(WALK, 4);
    w.ds.nodeReady[1] = false;
    w.ds.ready[1] = false;
    w.verdicts.put("h2/1", AnalysisResult.of(Verdict.Successful, "ok"));
    w.verdicts.put("h2/3", AnalysisResult.of(Verdict.Successful, "ok"));
    w.settle(WALK, "h2", 80);
    assertEquals("h2", w.status.stableRevision());
    assertEquals(List.of("h2", "h1", "h2", "h2"), Arrays.asList(w.ds.revisions));
    assertEquals(0, w.ds.restarts[1], "the node not Ready was left alone");
    Condition skipped =
        w.status.conditions().stream()
            .filter(c -> c.type().equals("NodesSkipped"))
            .findFirst()
            .orElseThrow();
    assertTrue(skipped.message().contains("node-1"), skipped.message());
    assertEquals(
        1,
        w.log.stream()
            .filter(a -> a instanceof Action.Emit e && e.reason().equals("NodesSkipped"))
            .count(),
        "one Event while the list stays the same");
    assertEquals("3/3 nodes [node-0, node-2, node-3]", w.status.updated());
  }

  @Test
  void aStepNamingAZoneUpdatesThatZoneFirst() {
    RolloutSpec spec =
        nodeByNode(
            CanaryStep.scale(new SetCanaryScale(null, null, null, Map.of("zone", "b"))), ANALYSIS);
    World w = stable(spec, 4);
    w.verdicts.put("h2/1", AnalysisResult.of(Verdict.Inconclusive, "wait"));
    for (int i = 0; i < 30; i++) w.step(spec, "h2");
    assertEquals(List.of("h1", "h2", "h1", "h2"), Arrays.asList(w.ds.revisions));
    assertEquals(List.of("node-1:h1->h2", "node-3:h1->h2"), w.ds.replaced);
  }

  @Test
  void aTemplateWithoutAControllerRevisionToGoBackToIsSaidAndNothingIsWritten() {
    World w = stable(WALK, 2);
    w.ds.kept.remove("h1");
    w.verdicts.put("h2/1", AnalysisResult.of(Verdict.Failed, "bad"));
    w.settle(WALK, "h2", 40);
    assertEquals(List.of(), w.ds.written);
    assertTrue(
        w.status.conditions().stream().anyMatch(c -> c.type().equals("TemplateUnavailable")),
        w.status.toString());
  }

  @Test
  void aRestartWaitsWhileACanaryIsUnderWayAndRunsOnStable() {
    World w = stable(WALK, 3);
    w.stsPods = true;
    w.now = w.now.plusSeconds(60);
    w.step(WALK, "h1", RequestAction.Restart);
    w.settle(WALK, "h1", 60);
    assertTrue(w.status.restartedAt() != null, "the restart finished: " + w.status);
    assertEquals(List.of(1, 1, 1), Arrays.stream(w.ds.restarts).boxed().toList());
    assertEquals(List.of("h1", "h1", "h1"), Arrays.asList(w.ds.revisions));
  }

  private static int indexOf(World w, Class<? extends Action> kind) {
    for (int i = 0; i < w.log.size(); i++) if (kind.isInstance(w.log.get(i))) return i;
    throw new AssertionError("no " + kind.getSimpleName() + " in " + w.log);
  }
}
