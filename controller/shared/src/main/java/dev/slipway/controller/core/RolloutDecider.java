package dev.slipway.controller.core;

import static dev.slipway.api.v1alpha1.RevisionState.Canary;
import static dev.slipway.api.v1alpha1.RevisionState.Paused;
import static dev.slipway.api.v1alpha1.RevisionState.Pending;
import static dev.slipway.api.v1alpha1.RevisionState.Promoted;
import static dev.slipway.api.v1alpha1.RevisionState.Ready;
import static dev.slipway.api.v1alpha1.RevisionState.RolledBack;
import static dev.slipway.api.v1alpha1.RevisionState.Stable;

import dev.slipway.api.v1alpha1.CanaryStep;
import dev.slipway.api.v1alpha1.Durations;
import dev.slipway.api.v1alpha1.PauseCondition;
import dev.slipway.api.v1alpha1.PauseReason;
import dev.slipway.api.v1alpha1.Phase;
import dev.slipway.api.v1alpha1.RevisionState;
import dev.slipway.api.v1alpha1.RolloutSpec;
import dev.slipway.api.v1alpha1.RolloutStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The pure decision core: (spec, status, observations, now) -> (next status, actions).
 *
 * <p>No I/O and no clock: everything it knows arrives as arguments, so every case is a table row in
 * a test. Each call makes as much progress as the observations allow and no more; whatever waits on
 * the world (pods, gateway acceptance, analysis) is picked up by the next call.
 */
public final class RolloutDecider {
  /** Fallback look-again while waiting on the world; informer events usually come sooner. */
  static final Duration POLL = Duration.ofSeconds(10);

  /** Look-again for a Rollout held by another's claim. */
  static final Duration CLAIM_POLL = Duration.ofSeconds(30);

  private RolloutDecider() {}

  public static Decision decide(
      RolloutSpec spec, RolloutStatus status, Observations obs, Instant now) {
    Objects.requireNonNull(obs, "obs");
    Objects.requireNonNull(now, "now");
    Draft d = new Draft(status == null ? RolloutStatus.empty() : status, now, obs.generation());
    d.s.observedGeneration = obs.generation();

    String problem = SpecCheck.problem(spec);
    if (problem != null) {
      // Bad input: say so, change nothing else; a half-applied spec is worse than none.
      d.condition("InvalidSpec", true, "InvalidSpec", problem);
      d.s.message = "invalid spec: " + problem;
      if (status == null || !problem.equals(messageOf(status, "InvalidSpec"))) {
        d.act(new Action.Emit(true, "InvalidSpec", problem));
      }
      d.s.phase = Phase.Degraded;
      return new Decision(d.s.build(), List.copyOf(d.actions), null);
    }
    d.dropCondition("InvalidSpec");
    if (obs.conflict() != null) {
      // Another Rollout owns a Service or route rule this one names: write nothing of ours.
      // The older claimant's deletion does not wake us: look again now and then.
      return notActing(d, status, "OwnershipConflict", "ClaimedByAnother", obs.conflict());
    }
    d.dropCondition("OwnershipConflict");
    WorkloadView workload = obs.workload();
    if (spec.template() == null) {
      // The pod template was to come from the Deployment, and there is none to read: nothing to
      // run, so nothing changes (the pods already serving keep serving).
      return notActing(
          d,
          status,
          "WorkloadRefused",
          "NotFound",
          spec.workloadRef().kindName()
              + " "
              + spec.workloadRef().name()
              + " named by spec.workloadRef does not exist (or has no pod template), and spec.template is not set: there is no pod template to run");
    }
    if (spec.workloadRef() != null && workload != null && workload.refusal() != null) {
      // Not ours to adopt: nothing is written, the Deployment least of all.
      return notActing(d, status, "WorkloadRefused", "NotAdoptable", workload.refusal());
    }
    if (spec.workloadRef() != null && workload != null && !workload.exists()) {
      // Nothing to adopt (or adopted and since deleted): the Rollout runs on its own, and says so.
      String why =
          "Deployment "
              + spec.workloadRef().name()
              + " named by spec.workloadRef does not exist; nothing is adopted";
      d.condition("WorkloadRefused", true, "NotFound", why);
      emitOnce(d, status, "WorkloadRefused", why);
    } else {
      d.dropCondition("WorkloadRefused");
    }

    Ctx c = new Ctx(spec, obs, d);
    Drift.check(c, status);
    observeTraffic(c);
    observeServices(c);
    Requests.apply(c);
    Partitions.followCurrent(c);

    String desired = obs.desiredRevision();
    if (d.s.stableRevision == null) {
      firstDeploy(c, desired);
    } else if (desired.equals(d.s.stableRevision)) {
      onStableRevision(c);
    } else {
      // A revision reverted mid-canary (state Stable while its traffic drains) and then applied
      // again is a new attempt of it, not the old one resumed.
      if (!desired.equals(d.s.canaryRevision) || d.s.state == Stable) {
        startRevision(c, desired);
      }
      walk(c);
    }
    // After the walk, so an eviction never stands before a rollback's traffic write.
    Restarts.apply(c);
    Adoption.apply(c);
    TrafficShape.apply(c);
    finish(c);
    RouteProjection.apply(c);
    Partitions.apply(c);
    NodeWalk.apply(c);
    return new Decision(d.s.build(), List.copyOf(d.actions), d.requeue());
  }

  /** Immutable inputs plus the draft, passed around the small steps below. */
  record Ctx(RolloutSpec spec, Observations obs, Draft d) {
    List<CanaryStep> steps() {
      return spec.strategy().plan().stepsOrEmpty();
    }

    int replicas() {
      WorkloadView w = obs.workload();
      if (NodeWalk.inPlace(spec) && w != null && w.daemonSet() != null) {
        // One pod per Ready node: nodes not Ready are skipped, not waited for.
        return w.replicas();
      }
      return spec.replicasOrDefault();
    }

    /**
     * Canary pods for {@code weight} (or the setCanaryScale override). A StatefulSet keeps at least
     * ordinal 0 on the old revision until promotion: once every pod runs the new one, its
     * controller makes the new revision current, and a rollback would have none to return to. A
     * DaemonSet's step may name its nodes instead (setCanaryScale.nodeSelector).
     */
    int canaryPods(int weight) {
      Integer nodes = NodeWalk.selected(this);
      if (nodes != null) return nodes;
      int n = CanaryMath.canaryReplicas(replicas(), weight, d.s.canaryScale);
      if (NodeWalk.inPlace(spec)) {
        // A DaemonSet has one pod per Ready node, however many a step names.
        return Math.min(n, replicas());
      }
      return Partitions.inPlace(spec) ? Math.max(0, Math.min(n, replicas() - 1)) : n;
    }

    boolean routed() {
      return obs.traffic() != null;
    }

    boolean drained() {
      return !routed() || obs.traffic().canaryDrained();
    }

    Integer verifiedWeight() {
      return routed() ? obs.traffic().verifiedWeight() : null;
    }

    /**
     * What people call the two sides in messages: stable and canary, or active and preview for
     * blue/green.
     */
    String stableSide() {
      return spec.strategy().blueGreen() != null ? "active" : "stable";
    }

    String newSide() {
      return spec.strategy().blueGreen() != null ? "preview" : "canary";
    }

    /** Services the spec names that do not exist (a weight on them would send users nowhere). */
    List<String> missingServices() {
      return obs.services() == null ? List.of() : obs.services().missing();
    }
  }

  private static void observeTraffic(Ctx c) {
    Draft d = c.d();
    if (!c.routed()) {
      d.s.verifiedWeight = null;
      d.s.routes = null;
      d.dropCondition("TrafficRouted");
      return;
    }
    TrafficView t = c.obs().traffic();
    d.s.routes = t.routes().isEmpty() ? null : t.routes();
    d.s.verifiedWeight = t.verifiedWeight();
    if (t.anyMissing()) {
      boolean ungranted = t.missingRoutes().stream().anyMatch(m -> m.contains("ReferenceGrant"));
      d.condition(
          "TrafficRouted",
          false,
          ungranted ? "RouteNotGranted" : "RouteNotFound",
          (ungranted ? "HTTPRoute not usable: " : "HTTPRoute not found: ")
              + String.join(", ", t.missingRoutes()));
    } else if (!t.accepted()) {
      d.condition("TrafficRouted", false, "RouteNotAccepted", RouteProjection.NOT_ACCEPTED);
    } else if (t.canaryWeight() == null) {
      d.condition(
          "TrafficRouted", false, "WeightsDisagree", "managed backendRefs carry different weights");
    } else {
      d.condition(
          "TrafficRouted",
          true,
          "WeightVerified",
          "canary weight " + t.canaryWeight() + " accepted");
    }
  }

  private static void observeServices(Ctx c) {
    if (!c.missingServices().isEmpty()) {
      c.d()
          .condition(
              "TrafficRouted",
              false,
              "ServiceNotFound",
              "Service "
                  + String.join(", ", c.missingServices())
                  + " not found: the canary holds at its step, and Resume and Promote are refused, until it exists");
    }
  }

  // ---- first deploy: no stable revision yet, so there is nothing to canary against ----

  private static void firstDeploy(Ctx c, String desired) {
    Draft d = c.d();
    if (d.s.state == null || !desired.equals(d.s.canaryRevision)) {
      if (d.s.canaryRevision != null && d.s.state != null) {
        d.retire(
            d.s.canaryRevision,
            d.s.state,
            "NewerRevision",
            "superseded by " + desired + " before it became stable");
      }
      d.track(desired, null);
      d.s.canaryRevision = desired;
      d.transition(
          desired,
          Pending,
          "NewRevision",
          "first revision " + desired + ": no stable revision, no canary");
    }
    if (d.s.state == Pending && ImagePolicyGate.holds(c)) {
      return;
    }
    d.act(new Action.EnsureReplicaSet(desired, c.replicas()));
    boolean adopting = Adoption.holdsServices(c);
    if (!adopting) {
      d.act(new Action.PointServices(desired, desired));
    }
    if (c.routed()) {
      d.s.desiredWeight = 0;
      d.act(new Action.SetWeight(0));
    }
    int ready = c.obs().ready(desired);
    if (ready >= c.replicas()) {
      if (adopting) {
        // Every pod of ours is ready: only now may the Services leave the Deployment's pods.
        d.act(new Action.PointServices(desired, desired));
      }
      d.s.stableRevision = desired;
      d.s.canaryRevision = null;
      d.s.currentStepIndex = null;
      d.transition(desired, Stable, "FirstDeploy", "first revision " + desired + " is stable");
      d.s.message = "revision " + desired + " is stable";
    } else {
      waitFor(
          c,
          "waiting for "
              + c.replicas()
              + " ready pods of "
              + desired
              + " ("
              + ready
              + " ready)"
              + (adopting
                  ? "; the Services keep selecting Deployment "
                      + c.spec().workloadRef().name()
                      + "'s pods meanwhile"
                  : ""));
    }
  }

  // ---- the desired revision is the stable one: steady state, a finished promotion, or a revert
  // ----

  private static void onStableRevision(Ctx c) {
    Draft d = c.d();
    String stable = d.s.stableRevision;
    String canary = d.s.canaryRevision;
    boolean promoting = stable.equals(canary);
    if (canary != null && !promoting && d.s.state != RolledBack && d.s.state != Stable) {
      // Template reverted to stable mid-canary: skip the steps, send traffic home, retire the
      // canary.
      d.retire(
          canary,
          d.s.state,
          "TemplateReverted",
          "template reverted to stable " + stable + "; canary abandoned");
      d.track(stable, Stable);
      d.progressed();
    } else if (canary != null && !promoting && d.s.state == RolledBack) {
      d.retire(canary, RolledBack, "TemplateReverted", "template reverted to stable " + stable);
      d.track(stable, Stable);
    } else if (d.s.state == null) {
      d.track(stable, Stable);
    }
    d.act(new Action.EnsureReplicaSet(stable, c.replicas()));
    if (canary != null) {
      if (c.routed()) {
        d.s.desiredWeight = 0;
        d.act(new Action.SetWeight(0));
      }
      if (!c.drained()) {
        // The message promoted() gave this wait, so that the pass after the weight write has
        // nothing to change.
        waitFor(
            c,
            promoting
                ? "promoting: "
                    + c.stableSide()
                    + " Service now selects "
                    + stable
                    + "; moving "
                    + c.newSide()
                    + " weight to 0"
                : "moving traffic off the canary before it is scaled down");
        return;
      }
      d.act(new Action.PointServices(stable, stable));
      // Counts from the moment the traffic moved, so a post-promotion window also counts towards
      // it.
      boolean delayOver =
          ScaleDownDelay.over(c, promoting ? "the previous stable" : "the canary " + canary);
      if (promoting && !PostPromotionWindow.over(c, stable)) {
        if (d.s.state == RolledBack) {
          // The window failed: traffic is already back on the previous revision; finish the
          // rollback now.
          rolledBack(c, canary, d.s.stableRevision);
        }
        return;
      }
      if (!delayOver || !ScaleDownDelay.replacedOver(c)) {
        return;
      }
      scaleDownOthers(c, stable);
      d.s.promotedFrom = null;
      d.s.observingSince = null;
      d.s.canaryRevision = null;
      resetCanaryProgress(d);
      if (promoting) {
        d.transition(
            stable, Stable, "Promoted", "revision " + stable + " is stable; traffic fully moved");
      }
    } else if (ScaleDownDelay.replacedOver(c)) {
      scaleDownOthers(c, stable);
    }
    d.s.message = "revision " + stable + " is stable";
  }

  // ---- a new revision arrives (from Stable, RolledBack, or mid-canary) ----

  private static void startRevision(Ctx c, String desired) {
    Draft d = c.d();
    String old = d.s.canaryRevision;
    RevisionState oldState = d.s.state;
    if (old != null && oldState != null && oldState != RolledBack && oldState != Stable) {
      d.retire(old, oldState, "NewerRevision", "superseded by " + desired);
    }
    d.reattempt = desired.equals(old);
    d.track(desired, null);
    d.s.canaryRevision = desired;
    ScaleDownDelay.handOver(d);
    resetCanaryProgress(d);
    d.transition(
        desired,
        Pending,
        "NewRevision",
        "new revision "
            + desired
            + (c.spec().strategy().blueGreen() != null
                ? " will be previewed beside active "
                : " will be canaried against stable ")
            + d.s.stableRevision);
  }

  private static void resetCanaryProgress(Draft d) {
    d.s.currentStepIndex = d.s.canaryRevision == null ? null : 0;
    ScaleDownDelay.reset(d);
    d.s.abort = null;
    d.dropCondition("Aborted");
    d.s.canaryScale = null;
    d.s.headerRoute = null;
    d.s.mirrorPercent = null;
    d.s.analysisVerdicts = null;
    d.s.analysisRuns = null;
    d.s.pauseConditions =
        d.hasPause(PauseReason.SpecPaused) ? List.of(d.pause(PauseReason.SpecPaused)) : null;
  }

  // ---- walking a canary revision ----

  private static void walk(Ctx c) {
    Draft d = c.d();
    String canary = d.s.canaryRevision;
    String stable = d.s.stableRevision;
    d.act(new Action.EnsureReplicaSet(stable, c.replicas()));
    syncSpecPause(c);

    if (holdForMissingServices(c)) {
      checkDeadline(c, canary);
      return;
    }
    if (d.s.state == Pending && !ImagePolicyGate.holds(c)) {
      pending(c, canary, stable);
    }
    if (d.s.state == Ready) {
      d.transition(canary, Canary, "StepsStarted", describeSteps(c));
    }
    if (d.s.state != Pending && d.s.replacedScaleDownAt != null && ScaleDownDelay.replacedOver(c)) {
      scaleDownOthers(c, stable, canary);
    }
    if (d.s.state == Canary || d.s.state == Paused) {
      AnalysisGate.background(c, canary);
    }
    if (d.s.state == Paused && unpaused(c)) {
      int next = d.s.currentStepIndex == null ? 0 : d.s.currentStepIndex;
      d.transition(
          canary,
          Canary,
          "Resumed",
          "pause over; continuing at step "
              + Math.min(next + 1, c.steps().size())
              + "/"
              + c.steps().size());
    }
    if (d.s.state == Canary) {
      runSteps(c, canary);
    }
    if (d.s.state == Promoted) {
      promoted(c, canary, stable);
    }
    if (d.s.state == RolledBack) {
      rolledBack(c, canary, stable);
    }
    if (d.s.state == Paused) {
      d.s.message = "paused: " + pauseSummary(d.pauses());
      scaleCanaryForCurrentWeight(c, canary);
    }
    checkDeadline(c, canary);
  }

  /**
   * No weight, step or promotion onto a Service that is not there: the canary holds (the progress
   * deadline still runs) until it exists; an abort or a rollback goes on, since it only takes
   * traffic away.
   */
  private static boolean holdForMissingServices(Ctx c) {
    Draft d = c.d();
    RevisionState st = d.s.state;
    if (c.missingServices().isEmpty()
        || Boolean.TRUE.equals(d.s.abort)
        || st == RolledBack
        || st == null) {
      return false;
    }
    if (st != Pending && st != Ready && st != Canary && st != Paused && st != Promoted) {
      return false;
    }
    int step = d.s.currentStepIndex == null ? 0 : d.s.currentStepIndex;
    waitFor(
        c,
        "holding at step "
            + Math.min(step + 1, Math.max(c.steps().size(), 1))
            + "/"
            + c.steps().size()
            + ": Service "
            + String.join(", ", c.missingServices())
            + " not found");
    return true;
  }

  private static void pending(Ctx c, String canary, String stable) {
    Draft d = c.d();
    if (!c.drained()) {
      // The canary Service still selects an older canary: empty it before re-pointing.
      if (c.routed()) {
        d.s.desiredWeight = 0;
        d.act(new Action.SetWeight(0));
      }
      waitFor(c, "moving traffic off the previous canary");
      return;
    }
    d.s.desiredWeight = c.routed() ? 0 : null;
    d.act(new Action.PointServices(stable, canary));
    int want = c.canaryPods(0);
    d.act(new Action.EnsureReplicaSet(canary, want));
    if (ScaleDownDelay.replacedOver(c)) {
      scaleDownOthers(c, stable, canary);
    }
    int ready = c.obs().ready(canary);
    if (ready >= want) {
      d.transition(canary, Ready, "CanaryReady", ready + " canary pod(s) of " + canary + " ready");
    } else {
      waitFor(
          c,
          "waiting for "
              + want
              + " ready "
              + c.newSide()
              + " pod(s) of "
              + canary
              + " ("
              + ready
              + " ready)");
    }
  }

  private static void runSteps(Ctx c, String canary) {
    Draft d = c.d();
    List<CanaryStep> steps = c.steps();
    // Bounded: each iteration completes one step or returns.
    while (d.s.state == Canary) {
      if (!d.pauses().isEmpty()) {
        d.transition(canary, Paused, d.pauses().get(0).reason().name(), pauseSummary(d.pauses()));
        return;
      }
      int i = d.s.currentStepIndex == null ? 0 : d.s.currentStepIndex;
      if (i >= steps.size()) {
        d.s.currentStepIndex = steps.size();
        d.transition(
            canary,
            Promoted,
            "StepsComplete",
            "all " + steps.size() + " steps complete; promoting " + canary);
        return;
      }
      if (!runStep(c, canary, i, steps.get(i))) {
        return;
      }
      d.s.currentStepIndex = i + 1;
      d.progressed();
    }
  }

  /** Returns true when step {@code i} is complete now. */
  private static boolean runStep(Ctx c, String canary, int i, CanaryStep step) {
    Draft d = c.d();
    String label = "step " + (i + 1) + "/" + c.steps().size();
    switch (step.kind()) {
      case SET_WEIGHT -> {
        int w = step.setWeight();
        int want = c.canaryPods(Math.max(w, TrafficShape.mirror(d.s)));
        d.act(new Action.EnsureReplicaSet(canary, want));
        int ready = c.obs().ready(canary);
        if (ready < want) {
          return waitFor(
              c,
              label
                  + ": waiting for "
                  + want
                  + " ready canary pod(s) before weight "
                  + w
                  + " ("
                  + ready
                  + " ready)");
        }
        d.s.desiredWeight = w;
        d.act(new Action.SetWeight(w));
        Integer v = c.verifiedWeight();
        if (v == null || v != w) {
          return waitFor(c, label + ": waiting for the gateway to accept canary weight " + w);
        }
        return true;
      }
      case PAUSE -> {
        PauseCondition p = d.pause(PauseReason.PauseStep);
        if (p == null) {
          Instant until =
              step.pause().duration() == null
                  ? null
                  : d.now.plus(Durations.parse(step.pause().duration()));
          d.addPause(
              PauseReason.PauseStep,
              until,
              label
                  + (until == null
                      ? ": paused until resumed"
                      : ": paused for " + step.pause().duration()));
          d.transition(canary, Paused, "PauseStep", label + ": pause");
          if (until != null) {
            d.requeueIn(Duration.between(d.now, until));
          }
        }
        return false;
      }
      case SET_CANARY_SCALE -> {
        d.s.canaryScale =
            Boolean.TRUE.equals(step.setCanaryScale().matchTrafficWeight())
                ? null
                : step.setCanaryScale();
        int want = c.canaryPods(TrafficShape.sizingWeight(d.s));
        d.act(new Action.EnsureReplicaSet(canary, want));
        int ready = c.obs().ready(canary);
        return ready >= want
            || waitFor(
                c, label + ": waiting for " + want + " ready canary pod(s) (" + ready + " ready)");
      }
      case ANALYSIS -> {
        return AnalysisGate.step(c, canary, i, step.analysis(), label);
      }
      case SET_HEADER_ROUTE, SET_MIRROR_ROUTE -> {
        return TrafficShape.step(c, canary, step, label);
      }
    }
    throw new IllegalStateException("unreachable");
  }

  private static void promoted(Ctx c, String canary, String stable) {
    Draft d = c.d();
    if (Partitions.inPlace(c.spec())) {
      // No way back from here (see Requests): a slow ordinal is waited for, never rolled back.
      d.deadlineExempt = true;
    }
    d.act(new Action.EnsureReplicaSet(canary, c.replicas()));
    int ready = c.obs().ready(canary);
    if (ready < c.replicas()) {
      waitFor(
          c,
          "promoting: waiting for "
              + c.replicas()
              + " ready pods of "
              + canary
              + " ("
              + ready
              + " ready)");
      return;
    }
    // Both Services now select the new revision, so any weight is safe; then drain the canary
    // Service and retire the old stable (onStableRevision finishes once weight 0 is verified).
    d.s.promotedFrom = stable;
    d.s.stableRevision = canary;
    d.act(new Action.PointServices(canary, canary));
    if (c.routed()) {
      d.s.desiredWeight = 0;
      d.act(new Action.SetWeight(0));
    }
    d.progressed();
    waitFor(
        c,
        "promoting: "
            + c.stableSide()
            + " Service now selects "
            + canary
            + "; moving "
            + c.newSide()
            + " weight to 0");
  }

  static void rollback(Ctx c, String canary, String reason, String message) {
    Draft d = c.d();
    d.s.abort = true;
    d.clearPauses();
    d.condition("Aborted", true, reason, message);
    d.transition(canary, RolledBack, reason, message);
    d.act(new Action.Emit(true, reason, message));
  }

  private static void rolledBack(Ctx c, String canary, String stable) {
    Draft d = c.d();
    if (c.routed()) {
      d.s.desiredWeight = 0;
      d.act(new Action.SetWeight(0));
    }
    // Traffic first, then scale: the canary keeps its pods until the gateway confirms weight 0.
    if (!c.drained()) {
      waitFor(
          c,
          "rolling back ("
              + abortReason(d)
              + "): waiting for the gateway to accept canary weight 0 before scaling the canary down");
      return;
    }
    if (!ScaleDownDelay.over(c, "the canary " + canary)) {
      d.s.message = "rolling back (" + abortReason(d) + "): " + d.s.message;
      return;
    }
    d.act(new Action.ScaleReplicaSet(canary, 0));
    d.act(new Action.PointServices(stable, stable));
    d.s.message =
        "rolled back: "
            + abortReason(d)
            + "; traffic on "
            + c.stableSide()
            + " "
            + stable
            + ", "
            + c.newSide()
            + " scaled down";
  }

  private static void scaleCanaryForCurrentWeight(Ctx c, String canary) {
    Draft d = c.d();
    d.act(new Action.EnsureReplicaSet(canary, c.canaryPods(TrafficShape.sizingWeight(d.s))));
  }

  private static void syncSpecPause(Ctx c) {
    Draft d = c.d();
    if (c.spec().pausedOrFalse()) {
      d.addPause(PauseReason.SpecPaused, null, "spec.paused is true");
    } else {
      d.removePause(PauseReason.SpecPaused);
    }
  }

  /** Expires timed pauses; a finished pause step counts as the step's completion. */
  private static boolean unpaused(Ctx c) {
    Draft d = c.d();
    PauseCondition step = d.pause(PauseReason.PauseStep);
    if (step != null && step.until() != null) {
      Instant until = Instant.parse(step.until());
      if (!d.now.isBefore(until)) {
        d.removePause(PauseReason.PauseStep);
        d.s.currentStepIndex = d.s.currentStepIndex == null ? 1 : d.s.currentStepIndex + 1;
        d.progressed();
      } else {
        d.requeueIn(Duration.between(d.now, until));
      }
    }
    return d.pauses().isEmpty();
  }

  private static void checkDeadline(Ctx c, String canary) {
    Draft d = c.d();
    RevisionState st = d.s.state;
    if (d.deadlineExempt
        || (st != Pending && st != Ready && st != Canary && st != Promoted)
        || (st == Promoted && Partitions.inPlace(c.spec()))) {
      // A StatefulSet's promotion has no way back (see Requests): it is waited for.
      return;
    }
    if (d.s.lastProgressTime == null) {
      d.progressed();
      return;
    }
    Instant deadline =
        Instant.parse(d.s.lastProgressTime).plusSeconds(c.spec().progressDeadlineOrDefault());
    if (!d.now.isBefore(deadline)) {
      String msg = "no progress for " + c.spec().progressDeadlineOrDefault() + "s: " + d.s.message;
      d.condition("Progressing", false, "ProgressDeadlineExceeded", msg);
      rollback(c, canary, "ProgressDeadlineExceeded", msg);
      rolledBack(c, canary, d.s.stableRevision);
    } else {
      d.requeueIn(Duration.between(d.now, deadline));
    }
  }

  private static void scaleDownOthers(Ctx c, String... keep) {
    List<String> kept = List.of(keep);
    for (ReplicaSetView rs : c.obs().replicaSets().values()) {
      if (!kept.contains(rs.revision()) && rs.replicas() > 0) {
        c.d().act(new Action.ScaleReplicaSet(rs.revision(), 0));
      }
    }
  }

  /**
   * Records what we wait for; always returns false so step code can {@code return waitFor(...)}.
   */
  /**
   * "2/3" while step 2 of 3 runs, "3/3" once all are done; null with no canary in flight. The index
   * stays 0-based for machines.
   */
  static String stepForPeople(RolloutStatus.Builder s, int steps) {
    if (s.canaryRevision == null || s.currentStepIndex == null || steps == 0 || s.state == Stable)
      return null;
    return Math.min(s.currentStepIndex + 1, steps) + "/" + steps;
  }

  static boolean waitFor(Ctx c, String message) {
    c.d().s.message = message;
    c.d().requeueIn(POLL);
    return false;
  }

  private static void finish(Ctx c) {
    Draft d = c.d();
    RolloutSpec spec = c.spec();
    // Verified means the weight we decided, accepted: never one someone else put there.
    if (d.s.verifiedWeight != null
        && d.s.desiredWeight != null
        && !d.s.verifiedWeight.equals(d.s.desiredWeight)) {
      d.s.verifiedWeight = null;
    }
    boolean settling = d.s.canaryRevision != null;
    d.s.phase = Phases.of(d.s.state == null ? Pending : d.s.state, settling);
    d.s.step = stepForPeople(d.s, c.steps().size());
    // Every condition says what is true now: a message left from an earlier step would mislead.
    String now = d.s.message == null ? "" : d.s.message;
    if (d.s.state == Paused) {
      d.condition("Progressing", true, "Paused", now);
      d.condition(
          "Paused",
          true,
          d.pauses().isEmpty() ? "Paused" : d.pauses().get(0).reason().name(),
          pauseSummary(d.pauses()));
    } else {
      d.dropCondition("Paused");
      if (d.s.state == RolledBack) {
        if (!"ProgressDeadlineExceeded".equals(d.conditionReason("Progressing").orElse(null))) {
          d.condition("Progressing", false, "RolledBack", now);
        }
      } else if (d.s.phase != Phase.Healthy) {
        d.condition("Progressing", true, "Progressing", now);
      } else if (d.s.state == Stable) {
        d.condition("Progressing", true, "Stable", now);
      }
    }
    int total = 0;
    int ready = 0;
    for (ReplicaSetView rs : c.obs().replicaSets().values()) {
      total += rs.replicas();
      ready += rs.readyReplicas();
    }
    d.s.replicas = total;
    d.s.readyReplicas = ready;
    String sized = d.s.stableRevision != null ? d.s.stableRevision : d.s.canaryRevision;
    ReplicaSetView sizedRs = sized == null ? null : c.obs().replicaSets().get(sized);
    d.s.scaleReplicas = sizedRs == null ? 0 : sizedRs.replicas();
    d.s.selector = Selectors.toString(spec.selector());
    d.act(
        new Action.PruneHistory(
            spec.historyLimitOrDefault(), d.s.stableRevision, d.s.canaryRevision));
    AnalysisGate.summarize(c);
  }

  private static String describeSteps(Ctx c) {
    StringBuilder b =
        new StringBuilder(
            c.spec().strategy().blueGreen() != null ? "blue/green as steps:" : "canary steps:");
    for (CanaryStep s : c.steps()) {
      b.append(' ').append(StepNames.of(s));
    }
    return b.toString();
  }

  private static String pauseSummary(List<PauseCondition> pauses) {
    return String.join(
        "; ",
        pauses.stream().map(p -> p.message() == null ? p.reason().name() : p.message()).toList());
  }

  private static String abortReason(Draft d) {
    return d.conditionMessage("Aborted").orElse("canary aborted");
  }

  /**
   * Writes nothing but the condition, the message and (once per message) a Warning Event; looks
   * again after a while.
   */
  private static Decision notActing(
      Draft d, RolloutStatus status, String type, String reason, String why) {
    d.condition(type, true, reason, why);
    d.s.message = "not acting: " + why;
    emitOnce(d, status, type, why);
    d.s.phase = Phase.Degraded;
    return new Decision(d.s.build(), List.copyOf(d.actions), CLAIM_POLL);
  }

  /**
   * A Warning Event, unless the condition already said the same (an Event per change, not per
   * pass).
   */
  private static void emitOnce(Draft d, RolloutStatus status, String type, String why) {
    if (status == null || !why.equals(messageOf(status, type))) {
      d.act(new Action.Emit(true, type, why));
    }
  }

  private static String messageOf(RolloutStatus status, String type) {
    return status.conditionsOrEmpty().stream()
        .filter(x -> x.type().equals(type))
        .map(x -> x.message())
        .findFirst()
        .orElse(null);
  }
}
