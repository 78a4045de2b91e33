package dev.slipway.controller.reconcile;

import dev.slipway.api.v1alpha1.Rollout;
import dev.slipway.controller.core.Action;
import dev.slipway.controller.traffic.TrafficRouter;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Carries out the core's actions, in order. Every action is idempotent (it compares with the live
 * object first), so replaying a decision after a crash changes nothing that was already done.
 */
public final class ActionExecutor {
  private final ReplicaSets replicaSets;
  private final ServiceSelectors services;
  private final TrafficRouter router;
  private final AnalysisRunner analysis;
  private final EventRecorder events;

  public ActionExecutor(ReplicaSets replicaSets, ServiceSelectors services, TrafficRouter router,
      AnalysisRunner analysis, EventRecorder events) {
    this.replicaSets = replicaSets;
    this.services = services;
    this.router = router;
    this.analysis = analysis;
    this.events = events;
  }

  /** @return problems worth telling the user (missing Services, routes we could not write) */
  public List<String> execute(Rollout r, String desiredRevision, Map<String, ReplicaSet> owned, List<Action> actions) {
    List<String> problems = new ArrayList<>();
    for (Action a : actions) {
      if (a instanceof Action.EnsureReplicaSet e) {
        ReplicaSet rs = owned.get(e.revision());
        if (rs == null && e.revision().equals(desiredRevision)) {
          replicaSets.create(r, e.revision(), e.replicas());
        } else if (rs == null) {
          problems.add("ReplicaSet of revision " + e.revision() + " is gone and its template is no longer in the spec");
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
        problems.addAll(router.setWeight(r, w.canaryWeight()));
      } else if (a instanceof Action.StartAnalysis s) {
        analysis.start(r, s);
      } else if (a instanceof Action.RecordTransition t) {
        events.record(r, t.to() == dev.slipway.api.v1alpha1.RevisionState.RolledBack, "Transition" + t.to(),
            t.revision() + ": " + (t.from() == null ? "(new)" : t.from()) + " -> " + t.to() + " (" + t.reason() + "): " + t.message());
      } else if (a instanceof Action.ForgetAnalysis f) {
        analysis.forget(r, f.revision(), f.stepIndex());
      } else if (a instanceof Action.ResetAnalysis) {
        analysis.reset(r);
      } else if (a instanceof Action.Emit e) {
        events.record(r, e.warning(), e.reason(), e.message());
      } else if (a instanceof Action.PruneHistory p) {
        replicaSets.prune(r, owned, p.keep(), p.stableRevision(), p.canaryRevision());
      } else {
        throw new IllegalStateException("unhandled action " + a);
      }
    }
    return problems;
  }
}
