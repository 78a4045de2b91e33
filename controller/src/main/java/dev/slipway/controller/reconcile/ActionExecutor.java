package dev.slipway.controller.reconcile;

import dev.slipway.api.v1alpha1.RevisionState;
import dev.slipway.api.v1alpha1.Rollout;
import dev.slipway.controller.analysis.AnalysisRunner;
import dev.slipway.controller.core.Action;
import dev.slipway.controller.kube.ReplicaSets;
import dev.slipway.controller.traffic.TrafficRouter;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Carries out the core's actions, in order. Every action is idempotent (it compares with the live
 * object first), so replaying a decision after a crash changes nothing that was already done. The
 * first action that fails stops the rest (their order matters: traffic before scale), and the
 * failure is returned, never thrown, so the pass can say so in status.
 */
public final class ActionExecutor {
  private final ReplicaSets replicaSets;
  private final ServiceSelectors services;
  private final TrafficRouter router;
  private final AnalysisRunner analysis;
  private final EventRecorder events;
  private final PodEvictions pods;
  private final Workloads workloads;

  public ActionExecutor(
      ReplicaSets replicaSets,
      ServiceSelectors services,
      TrafficRouter router,
      AnalysisRunner analysis,
      EventRecorder events,
      PodEvictions pods,
      Workloads workloads) {
    this.workloads = workloads;
    this.pods = pods;
    this.replicaSets = replicaSets;
    this.services = services;
    this.router = router;
    this.analysis = analysis;
    this.events = events;
  }

  /**
   * What a pass's actions came to.
   *
   * @param problems worth telling the user, but not failures (a route not found, a Service missing)
   * @param failure the action that failed, after which nothing else ran; null when none did
   */
  public record Outcome(List<String> problems, ActionFailure failure) {}

  public Outcome execute(
      Rollout r, String desiredRevision, Map<String, ReplicaSet> owned, List<Action> actions) {
    List<String> problems = new ArrayList<>();
    ActionFailure failure = null;
    // The world first, in the core's order; Events after, so that nothing informational stands
    // between a decision to roll back and the weight write (they are in the evidence already).
    for (Action a : actions) {
      if (informational(a)) continue;
      try {
        run(r, desiredRevision, owned, a, problems);
      } catch (RuntimeException e) {
        failure = ActionFailure.of(describe(r, a), e);
        break;
      }
    }
    for (Action a : actions) {
      if (informational(a)) run(r, desiredRevision, owned, a, problems);
    }
    return new Outcome(problems, failure);
  }

  /** Events only: a failed Event never fails a pass (EventRecorder swallows it). */
  private static boolean informational(Action a) {
    return a instanceof Action.RecordTransition
        || a instanceof Action.Emit
        || a instanceof Action.RecordDrift;
  }

  private void run(
      Rollout r,
      String desiredRevision,
      Map<String, ReplicaSet> owned,
      Action a,
      List<String> problems) {
    {
      if (a instanceof Action.EnsureReplicaSet e) {
        ReplicaSet rs = owned.get(e.revision());
        if (rs == null && e.revision().equals(desiredRevision)) {
          replicaSets.create(r, e.revision(), e.replicas());
        } else if (rs == null) {
          problems.add(
              "ReplicaSet of revision "
                  + e.revision()
                  + " is gone and its template is no longer in the spec");
        } else if (!Integer.valueOf(e.replicas()).equals(rs.getSpec().getReplicas())) {
          replicaSets.scale(rs, e.replicas());
        }
      } else if (a instanceof Action.ScaleReplicaSet s) {
        ReplicaSet rs = owned.get(s.revision());
        if (rs != null && !Integer.valueOf(s.replicas()).equals(rs.getSpec().getReplicas())) {
          replicaSets.scale(rs, s.replicas());
        }
      } else if (a instanceof Action.PointServices p) {
        problems.addAll(services.point(r, p.stableRevision(), p.canaryRevision()));
      } else if (a instanceof Action.SetWeight w) {
        problems.addAll(router.setWeight(r, w.canaryWeight(), w.shape()));
      } else if (a instanceof Action.StartAnalysis s) {
        analysis.start(r, s);
      } else if (a instanceof Action.RecordTransition t) {
        events.record(
            r,
            t.to() == RevisionState.RolledBack,
            "Transition" + t.to(),
            t.revision()
                + ": "
                + (t.from() == null ? "(new)" : t.from())
                + " -> "
                + t.to()
                + " ("
                + t.reason()
                + "): "
                + t.message());
      } else if (a instanceof Action.ForgetAnalysis f) {
        analysis.forget(r, f.revision(), f.stepIndex());
      } else if (a instanceof Action.StopAnalysis st) {
        analysis.stop(r, st.revision());
      } else if (a instanceof Action.ResetAnalysis) {
        analysis.reset(r);
      } else if (a instanceof Action.RecordDrift d) {
        events.record(
            r,
            true,
            "Drift",
            d.what()
                + " was changed outside Slipway to "
                + d.observed()
                + "; put back to "
                + d.decided());
      } else if (a instanceof Action.Emit e) {
        events.record(r, e.warning(), e.reason(), e.message());
      } else if (a instanceof Action.EvictPod e) {
        String why = pods.evict(r.getMetadata().getNamespace(), e.name(), e.uid());
        if (why != null) problems.add(why);
      } else if (a instanceof Action.ScaleWorkload w) {
        workloads.scaleDeployment(r.getMetadata().getNamespace(), w.name(), w.replicas());
      } else if (a instanceof Action.SetPartition p) {
        workloads.setPartition(r.getMetadata().getNamespace(), p.statefulSet(), p.partition());
      } else if (a instanceof Action.ReplacePod p) {
        String why = pods.evict(r.getMetadata().getNamespace(), p.name(), p.uid());
        if (why != null) problems.add(why);
      } else if (a instanceof Action.WriteTemplate t) {
        String why =
            workloads.writeTemplate(
                r.getMetadata().getNamespace(), t.kind(), t.workload(), t.revision());
        if (why != null) problems.add(why);
      } else if (a instanceof Action.PruneHistory p) {
        replicaSets.prune(r, owned, p.keep(), p.stableRevision(), p.canaryRevision());
      } else {
        throw new IllegalStateException("unhandled action " + a);
      }
    }
  }

  /** The action as a person would name it, for the failure message. */
  static String describe(Rollout r, Action a) {
    String name = r.getMetadata().getName();
    if (a instanceof Action.EnsureReplicaSet e)
      return "creating or scaling ReplicaSet " + name + "-" + e.revision() + " to " + e.replicas();
    if (a instanceof Action.ScaleReplicaSet s)
      return "scaling ReplicaSet " + name + "-" + s.revision() + " to " + s.replicas();
    if (a instanceof Action.PointServices p)
      return "pointing Services at " + p.stableRevision() + "/" + p.canaryRevision();
    if (a instanceof Action.SetWeight w) return "setting canary weight " + w.canaryWeight();
    if (a instanceof Action.StartAnalysis) return "starting analysis";
    if (a instanceof Action.PruneHistory) return "pruning old ReplicaSets";
    if (a instanceof Action.ScaleWorkload w)
      return "scaling Deployment " + w.name() + " to " + w.replicas() + " (adopted)";
    if (a instanceof Action.EvictPod e) return "evicting pod " + e.name() + " for the restart";
    if (a instanceof Action.SetPartition p)
      return "setting the partition of StatefulSet " + p.statefulSet() + " to " + p.partition();
    if (a instanceof Action.ReplacePod p)
      return "replacing pod "
          + p.name()
          + (p.node() == null ? "" : " on node " + p.node())
          + " with revision "
          + p.to();
    if (a instanceof Action.WriteTemplate t)
      return "writing the template of " + t.revision() + " into " + t.kind() + " " + t.workload();
    return a.getClass().getSimpleName();
  }
}
