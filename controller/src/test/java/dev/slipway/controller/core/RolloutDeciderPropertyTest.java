package dev.slipway.controller.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.analysis.AnalysisResult;
import dev.slipway.analysis.Verdict;
import dev.slipway.api.v1alpha1.AnalysisStep;
import dev.slipway.api.v1alpha1.CanaryStep;
import dev.slipway.api.v1alpha1.CanaryStrategy;
import dev.slipway.api.v1alpha1.Durations;
import dev.slipway.api.v1alpha1.GatewayApiRouting;
import dev.slipway.api.v1alpha1.HttpRouteRef;
import dev.slipway.api.v1alpha1.RequestAction;
import dev.slipway.api.v1alpha1.RevisionState;
import dev.slipway.api.v1alpha1.RolloutSpec;
import dev.slipway.api.v1alpha1.RolloutStatus;
import dev.slipway.api.v1alpha1.SegmentMatch;
import dev.slipway.api.v1alpha1.SetCanaryScale;
import dev.slipway.api.v1alpha1.SetHeaderRoute;
import dev.slipway.api.v1alpha1.Strategy;
import dev.slipway.api.v1alpha1.TrafficRouting;
import dev.slipway.api.v1alpha1.WorkloadRef;
import dev.slipway.controller.testing.Seeded;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The decision core against random admitted specs and a random world: pods that are slow or never
 * ready, a gateway that accepts late or never, any analysis verdict, any manual request at any
 * moment, weights changed by hand, a canary Service that disappears, and new revisions mid-canary.
 * The core never throws, every transition it records is legal, every weight is in 0..100, status
 * never calls a weight verified that it did not decide, and once the world cooperates (a person
 * resumes what waits for one) the revision reaches a terminal state within its progress deadline,
 * its timed pauses and a few polls.
 */
class RolloutDeciderPropertyTest {
  static final Set<RevisionState> TERMINAL =
      EnumSet.of(RevisionState.Stable, RevisionState.RolledBack);
  static final AnalysisStep ANALYSIS =
      Serialization.unmarshal(
          "metrics: [{name: m, builtin: successRate, threshold: {min: 0.9}}]", AnalysisStep.class);

  /** The step kinds the generator draws, by the name {@link #kind} gives each. */
  static final Set<String> STEP_KINDS =
      Set.of(
          "setWeight",
          "pause(duration)",
          "pause(indefinite)",
          "setCanaryScale.replicas",
          "setCanaryScale.weight",
          "setCanaryScale.matchTrafficWeight",
          "analysis",
          "setMirrorRoute",
          "setHeaderRoute",
          "setHeaderRoute(clear)");

  /** What a try draws: an admitted spec's parts and the seed of the world's chaos. */
  record Draw(
      int replicas, List<CanaryStep> steps, int deadline, int history, boolean paused, long world) {
    RolloutSpec spec() {
      return RolloutDeciderPropertyTest.spec(replicas, steps, deadline, history, paused);
    }

    /** Shrinking: the same draw, one step fewer. */
    List<Draw> smaller() {
      return Seeded.dropOne(steps).stream()
          .map(s -> new Draw(replicas, s, deadline, history, paused, world))
          .toList();
    }
  }

  static CanaryStep step(Random rnd) {
    switch (rnd.nextInt(10)) {
      case 0:
        return CanaryStep.weight(Seeded.between(rnd, 0, 100));
      case 1:
        return CanaryStep.pause(Seeded.oneOf(rnd, "0s", "1s", "30s", "5m", "1h"));
      case 2:
        return CanaryStep.pause(null);
      case 3:
        return CanaryStep.scale(new SetCanaryScale(Seeded.between(rnd, 0, 12), null, null));
      case 4:
        return CanaryStep.scale(new SetCanaryScale(null, Seeded.between(rnd, 0, 100), null));
      case 5:
        return CanaryStep.scale(new SetCanaryScale(null, null, true));
      case 6:
        return CanaryStep.analysis(ANALYSIS);
      case 7:
        return CanaryStep.mirror(Seeded.between(rnd, 0, 100));
      case 8:
        return CanaryStep.headerRoute(
            SegmentMatch.header("X-Canary", "yes"), SegmentMatch.cookie("beta", "on"));
      default:
        return new CanaryStep(null, null, null, null, new SetHeaderRoute(List.of()), null);
    }
  }

  static Draw draw(Random rnd) {
    return new Draw(
        Seeded.between(rnd, 0, 10),
        Seeded.listOf(rnd, 0, 8, RolloutDeciderPropertyTest::step),
        Seeded.between(rnd, 30, 900),
        Seeded.between(rnd, 0, 3),
        rnd.nextInt(4) == 0,
        rnd.nextLong());
  }

  /** The kind of a drawn step, as {@link #STEP_KINDS} names it. */
  static String kind(CanaryStep s) {
    if (s.setWeight() != null) return "setWeight";
    if (s.pause() != null)
      return s.pause().duration() == null ? "pause(indefinite)" : "pause(duration)";
    if (s.setCanaryScale() != null) {
      SetCanaryScale c = s.setCanaryScale();
      return c.replicas() != null
          ? "setCanaryScale.replicas"
          : c.weight() != null ? "setCanaryScale.weight" : "setCanaryScale.matchTrafficWeight";
    }
    if (s.analysis() != null) return "analysis";
    if (s.setMirrorRoute() != null) return "setMirrorRoute";
    if (s.setHeaderRoute() != null)
      return s.setHeaderRoute().matchOrEmpty().isEmpty()
          ? "setHeaderRoute(clear)"
          : "setHeaderRoute";
    throw new IllegalStateException("a step of no kind: " + s);
  }

  static List<Seeded.Case<Draw>> forAll(
      String name, Long runSeed, int tries, Consumer<Draw> check) {
    return Seeded.forAll(
        name, runSeed, tries, RolloutDeciderPropertyTest::draw, Draw::smaller, check);
  }

  static RolloutSpec spec(
      int replicas, List<CanaryStep> steps, int deadline, int history, boolean paused) {
    return new RolloutSpec(
        replicas,
        new LabelSelectorBuilder().addToMatchLabels("app", "demo").build(),
        new PodTemplateSpecBuilder()
            .withNewMetadata()
            .addToLabels("app", "demo")
            .endMetadata()
            .withNewSpec()
            .addNewContainer()
            .withName("app")
            .withImage("demo:1")
            .endContainer()
            .endSpec()
            .build(),
        history,
        deadline,
        paused,
        new Strategy(
            new CanaryStrategy(
                "demo-stable",
                "demo-canary",
                new TrafficRouting(
                    new GatewayApiRouting(List.of(new HttpRouteRef("demo", null)), null, null)),
                null,
                null,
                "0s",
                steps)));
  }

  @Test
  void neverThrowsAlwaysLegalWeightsInRangeAndEveryRevisionEnds() {
    List<Seeded.Case<Draw>> drawn =
        forAll(
            "neverThrows...EveryRevisionEnds",
            null,
            1000,
            d -> chaosThenCooperation(d.spec(), d.world()));
    Set<String> kinds = new TreeSet<>();
    drawn.forEach(c -> c.value().steps().forEach(s -> kinds.add(kind(s))));
    assertEquals(new TreeSet<>(STEP_KINDS), kinds, "the 1000 tries drew every step kind");
  }

  /**
   * Issue 27: a workloadRef whose Deployment is, at random moments, not adoptable (no consent, an
   * older Rollout's, unselected pods): while it is, the core writes nothing at all, the Deployment
   * least of all; once adoptable, everything still ends.
   */
  @Test
  void aWorkloadNotOursIsNeverTouched() {
    forAll(
        "aWorkloadNotOursIsNeverTouched",
        null,
        300,
        d -> {
          RolloutSpec spec = d.spec();
          RolloutSpec adopting =
              new RolloutSpec(
                  spec.replicas(),
                  spec.selector(),
                  spec.template(),
                  spec.revisionHistoryLimit(),
                  spec.progressDeadlineSeconds(),
                  spec.paused(),
                  spec.strategy(),
                  new WorkloadRef(null, "legacy"));
          Random refusals = new Random(d.world() ^ 0x5EED);
          chaosThenCooperation(
              adopting,
              d.world(),
              w -> {
                if (w.deploymentReplicas == null) w.deploymentReplicas = 3;
                if (refusals.nextInt(8) == 0) {
                  w.workloadRefusal =
                      refusals.nextBoolean()
                          ? null
                          : List.of(
                                  "Deployment legacy has not consented to adoption",
                                  "Deployment legacy is named by Rollout other (the older claim)",
                                  "Service demo-stable does not select Deployment legacy's pods")
                              .get(refusals.nextInt(3));
                }
              });
        });
  }

  /**
   * Issue 29: a StatefulSet walked in place, through the same chaos, Restart requests included (its
   * pods observed, as a restart reads them; 9,000 tries clean before this ran at 300). Besides the
   * invariants of every pass, {@link StatefulSetSim} fails any pass that writes a ReplicaSet or
   * Deployment action, replaces a pod while another is not Ready, one on the current revision or
   * one at or above the partition; and once the revision ends, every ordinal runs the stable
   * revision, the current one, with the partition held.
   */
  @Test
  void aStatefulSetIsWalkedInPlaceAndEndsOnOneRevisionWithItsPartitionHeld() {
    forAll(
        "aStatefulSetIsWalkedInPlace",
        null,
        300,
        d -> {
          RolloutSpec spec = d.spec();
          int replicas = Math.max(2, d.replicas());
          RolloutSpec inPlace =
              spec.withReplicas(replicas)
                  .withWorkloadRef(new WorkloadRef(WorkloadRef.Kind.StatefulSet, "db"));
          World w =
              chaosThenCooperation(
                  inPlace,
                  d.world(),
                  x -> {
                    if (x.sts == null) x.sts = new StatefulSetSim(replicas, "h1");
                    x.stsPods = true;
                  });
          String stable = w.status.stableRevision();
          for (int i = 0; i < 60 && !onlyOn(w.sts, stable); i++) {
            Decision next = w.step(inPlace, w.sts.applied);
            w.now =
                w.now.plus(
                    next.requeueAfter() == null ? Duration.ofSeconds(10) : next.requeueAfter());
          }
          assertTrue(
              onlyOn(w.sts, stable),
              "ordinals "
                  + Arrays.toString(w.sts.revisions)
                  + ", current "
                  + w.sts.current
                  + ", partition "
                  + w.sts.partition
                  + " after "
                  + w.status);
        });
  }

  /**
   * Issue 29: a DaemonSet walked node by node, through the same chaos, Restart requests included,
   * one node of four not Ready (6,000 tries clean before this ran at 300). Besides the invariants
   * of every pass, {@link DaemonSetSim} fails any pass that writes a ReplicaSet, Deployment or
   * StatefulSet action, replaces a pod while another Ready node's is not Ready, one on the node not
   * Ready, or one onto a revision other than the template's, and any template written back that it
   * keeps no ControllerRevision of; once the revision ends, every Ready node runs the stable
   * revision, and the node not Ready was never touched.
   */
  @Test
  void aDaemonSetIsWalkedNodeByNodeAndEndsOnOneRevision() {
    forAll(
        "aDaemonSetIsWalkedNodeByNode",
        null,
        300,
        d -> {
          RolloutSpec nodeByNode =
              d.spec()
                  .withReplicas(null)
                  .withWorkloadRef(new WorkloadRef(WorkloadRef.Kind.DaemonSet, "agent"));
          World w =
              chaosThenCooperation(
                  nodeByNode,
                  d.world(),
                  x -> {
                    if (x.ds == null) {
                      x.ds = new DaemonSetSim(4, "h1");
                      x.ds.nodeReady[3] = false;
                    }
                    x.stsPods = true;
                  });
          String stable = w.status.stableRevision();
          for (int i = 0; i < 80 && !onlyOn(w.ds, stable); i++) {
            Decision next = w.step(nodeByNode, w.ds.applied);
            w.now =
                w.now.plus(
                    next.requeueAfter() == null ? Duration.ofSeconds(10) : next.requeueAfter());
          }
          assertTrue(
              onlyOn(w.ds, stable),
              "nodes "
                  + Arrays.toString(w.ds.revisions)
                  + ", template "
                  + w.ds.template
                  + " after "
                  + w.status);
          assertEquals(0, w.ds.restarts[3], "the node not Ready was touched");
        });
  }

  /** Every Ready node's pod on {@code revision}, Ready. */
  static boolean onlyOn(DaemonSetSim ds, String revision) {
    for (int i = 0; i < ds.nodes.length; i++) {
      if (ds.nodeReady[i] && !revision.equals(ds.revisions[i])) return false;
    }
    return ds.settled();
  }

  /** Every ordinal on {@code revision}, Ready, current, the partition held. */
  static boolean onlyOn(StatefulSetSim sts, String revision) {
    return Arrays.stream(sts.revisions).allMatch(revision::equals)
        && sts.settled()
        && revision.equals(sts.current)
        && sts.partition == sts.replicas;
  }

  /**
   * Fixed run seeds: the same 6,400 cases on every run, whatever the random runs above draw. Under
   * jqwik three pinned seeds reproduced an Abort accepted during a first deploy (then an illegal
   * RolledBack -> Stable, fixed in Requests), and a revision reverted mid-canary and applied again
   * stuck as Stable-while-draining, directly and after a deadline rollback. jqwik's generator
   * cannot be replayed here; TrustBoundariesDeciderTest holds those cases as examples (a first
   * deploy cannot be aborted; a revision reverted mid-canary and applied again is a new attempt),
   * and these fixed runs keep the same number of tries over the same space.
   */
  @Test
  void fixedSeedsAsPinnedUnderJqwik() {
    forAll(
        "pinned(abort of a first deploy)",
        3674798307710098161L,
        400,
        d -> chaosThenCooperation(d.spec(), d.world()));
    forAll(
        "pinned(revert then reapply)",
        -3212743520855051125L,
        3000,
        d -> chaosThenCooperation(d.spec(), d.world()));
    forAll(
        "pinned(revert after deadline rollback)",
        322221795429556117L,
        3000,
        d -> chaosThenCooperation(d.spec(), d.world()));
  }

  static World chaosThenCooperation(RolloutSpec spec, long seed) {
    return chaosThenCooperation(spec, seed, w -> {});
  }

  /**
   * @param moreChaos changes the world before each chaotic pass, from its own random source (pinned
   *     seeds stay reproducible)
   */
  static World chaosThenCooperation(RolloutSpec spec, long seed, Consumer<World> moreChaos) {
    Random rnd = new Random(seed);
    World w = new World();
    w.observeServices = true;
    RolloutSpec unpaused =
        new RolloutSpec(
            spec.replicas(),
            spec.selector(),
            spec.template(),
            spec.revisionHistoryLimit(),
            spec.progressDeadlineSeconds(),
            false,
            spec.strategy(),
            spec.workloadRef());
    List<String> revisions = List.of("h1", "h2", "h3");
    String desired = "h1";
    // Chaos: everything the world and people can do, in any order.
    for (int pass = 0; pass < 120; pass++) {
      if (rnd.nextInt(25) == 0) desired = revisions.get(rnd.nextInt(revisions.size()));
      w.podsGetReady = rnd.nextInt(3) != 0;
      w.gatewayAccepts = rnd.nextInt(4) != 0;
      w.canaryServiceMissing = rnd.nextInt(12) == 0;
      if (rnd.nextInt(15) == 0) {
        w.weight = rnd.nextInt(101);
        w.weightsEditedByOthers = true;
      }
      if (rnd.nextInt(20) == 0) {
        // Someone removes our segment rule and mirror filter.
        w.shape = RouteShape.NONE;
        w.weightsEditedByOthers = true;
      }
      if (rnd.nextInt(20) == 0) {
        w.canarySelects = revisions.get(rnd.nextInt(revisions.size()));
        w.selectorsEditedByOthers = true;
      }
      RequestAction req =
          rnd.nextInt(6) == 0
              ? RequestAction.values()[rnd.nextInt(RequestAction.values().length)]
              : null;
      moreChaos.accept(w);
      RolloutSpec now = rnd.nextBoolean() ? spec : unpaused;
      Decision d = checkedStep(w, now, desired, req);
      if (w.workloadRefusal != null && now.workloadRef() != null) {
        assertTrue(
            d.actions().stream().allMatch(Action.Emit.class::isInstance),
            "acted on a workload not ours: " + d.actions());
        assertEquals("not acting: " + w.workloadRefusal, d.status().message());
      }
      answerAnalysis(w, d, Verdict.values()[rnd.nextInt(Verdict.values().length)]);
      w.now = w.now.plusSeconds(1 + rnd.nextInt(60));
    }
    // Then the world cooperates and a person resumes whatever waits for one.
    w.workloadRefusal = null;
    w.podsGetReady = true;
    w.gatewayAccepts = true;
    w.canaryServiceMissing = false;
    Instant start = w.now;
    long pauses =
        unpaused.strategy().canary().stepsOrEmpty().stream()
            .filter(s -> s.pause() != null && s.pause().duration() != null)
            .mapToLong(s -> Durations.parse(s.pause().duration()).toSeconds())
            .sum();
    // In place (a StatefulSet's ordinals, a DaemonSet's nodes), pods are replaced one at a time,
    // each waited for at the 10 s requeue: the polls grow with the pods (8 ordinals once took 166 s
    // against 165, seed 3852851918222108879).
    long inPlace =
        unpaused.workloadRef() != null && unpaused.workloadRef().inPlace()
            ? 15L * Math.max(unpaused.replicasOrDefault(), 4)
            : 0;
    Duration budget =
        Duration.ofSeconds(unpaused.progressDeadlineOrDefault() + pauses + 120 + inPlace);
    for (int pass = 0; pass < 400 && !settled(w, desired); pass++) {
      RequestAction req =
          w.status != null && w.status.state() == RevisionState.Paused
              ? RequestAction.Resume
              : null;
      Decision d = checkedStep(w, unpaused, desired, req);
      answerAnalysis(w, d, Verdict.Successful);
      Duration next = d.requeueAfter() == null ? Duration.ofSeconds(10) : d.requeueAfter();
      w.now =
          w.now.plus(
              next.compareTo(Duration.ofSeconds(30)) > 0
                  ? Duration.ofSeconds(30)
                  : next.isZero() ? Duration.ofSeconds(1) : next);
    }
    assertTrue(
        settled(w, desired),
        "revision "
            + desired
            + " not terminal after a cooperative world: "
            + w.status
            + (w.ds == null ? "" : "; " + w.ds));
    if (w.status.canaryRevision() == null
        || w.status.state() == RevisionState.RolledBack
            && w.status.message().startsWith("rolled back:")) {
      assertEquals(
          RouteShape.NONE, w.shape, "a segment or mirror outlived its canary: " + w.status);
    }
    assertTrue(
        Duration.between(start, w.now).compareTo(budget) <= 0,
        "took "
            + Duration.between(start, w.now)
            + ", beyond its deadline, pauses and polls "
            + budget
            + ": "
            + w.status);
    return w;
  }

  /** One pass, with the invariants checked. */
  static Decision checkedStep(World w, RolloutSpec spec, String desired, RequestAction req) {
    RolloutStatus before = w.status;
    Decision d = w.step(spec, desired, req);
    assertNotNull(d.status());
    stateNamesItsRevisionAndChangesOnlyByTransition(before, d);
    for (Action a : d.actions()) {
      if (a instanceof Action.RecordTransition t) {
        assertTrue(
            t.to() == RevisionState.Superseded
                ? t.from() != null && Transitions.isLegal(t.from(), t.to())
                : Transitions.isLegal(t.from(), t.to()),
            "illegal " + t);
      } else if (a instanceof Action.SetWeight s) {
        assertTrue(s.canaryWeight() >= 0 && s.canaryWeight() <= 100, "weight " + s);
        RevisionState st = d.status().state();
        if (st != RevisionState.Canary && st != RevisionState.Paused) {
          assertTrue(s.shape().none(), "a segment or mirror written in state " + st + ": " + s);
        }
      } else if (a instanceof Action.EnsureReplicaSet e) {
        assertTrue(e.replicas() >= 0, "replicas " + e);
      }
    }
    RolloutStatus s = d.status();
    for (Integer v : Arrays.asList(s.desiredWeight(), s.verifiedWeight())) {
      assertTrue(v == null || (v >= 0 && v <= 100), "status weight " + v);
    }
    if (s.verifiedWeight() != null && s.desiredWeight() != null) {
      assertEquals(
          s.desiredWeight(), s.verifiedWeight(), "verified is only ever the weight we decided");
    }
    return d;
  }

  /**
   * Issue 26: status.state always names the revision it describes (stateRevision), and a state that
   * changes for the same revision does so by a recorded, legal transition of that revision.
   */
  static void stateNamesItsRevisionAndChangesOnlyByTransition(RolloutStatus before, Decision d) {
    RolloutStatus after = d.status();
    if (after.state() != null) {
      assertNotNull(after.stateRevision(), "a state names its revision: " + after);
    }
    if (before == null
        || before.state() == null
        || before.stateRevision() == null
        || !before.stateRevision().equals(after.stateRevision())
        || before.state() == after.state()) {
      return;
    }
    List<Action.RecordTransition> of =
        d.actionsOf(Action.RecordTransition.class).stream()
            .filter(t -> t.revision().equals(after.stateRevision()))
            .toList();
    assertTrue(
        !of.isEmpty()
            && of.get(0).from() == before.state()
            && of.get(of.size() - 1).to() == after.state(),
        "revision "
            + after.stateRevision()
            + " went "
            + before.state()
            + " -> "
            + after.state()
            + " without its transitions: "
            + of);
  }

  /** The world's analysis answers each run the core starts. */
  static void answerAnalysis(World w, Decision d, Verdict verdict) {
    for (Action.StartAnalysis a : d.actionsOf(Action.StartAnalysis.class)) {
      w.verdicts.put(
          a.revision() + "/" + a.stepIndex(),
          AnalysisResult.of(verdict, "the world says " + verdict));
    }
  }

  static boolean settled(World w, String desired) {
    RolloutStatus s = w.status;
    if (w.ds != null) {
      // What Git asked, as the Rollout reads it from the DaemonSet's template.
      desired = NodeWalk.desiredRevision(s, w.ds.template);
    } else if (w.sts != null) {
      desired = NodeWalk.desiredRevision(s, w.sts.update);
    }
    if (s == null || s.state() == null) {
      return false;
    }
    return s.state() == RevisionState.Stable
            && desired.equals(s.stableRevision())
            && s.canaryRevision() == null
        || s.state() == RevisionState.RolledBack
            && desired.equals(s.canaryRevision())
            && s.message() != null
            && s.message().startsWith("rolled back");
  }
}
