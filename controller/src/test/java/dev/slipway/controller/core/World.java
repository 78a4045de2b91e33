package dev.slipway.controller.core;

import dev.slipway.analysis.AnalysisResult;
import dev.slipway.api.v1alpha1.RequestAction;
import dev.slipway.api.v1alpha1.RolloutSpec;
import dev.slipway.api.v1alpha1.RolloutStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A tiny in-memory world that carries out the core's actions the way a cluster would: ReplicaSets
 * become ready, the gateway accepts weights. It lets table tests walk whole flows.
 */
final class World {
  final Map<String, Integer> replicas = new HashMap<>();
  final Map<String, AnalysisResult> verdicts = new HashMap<>();
  boolean podsGetReady = true;
  boolean gatewayAccepts = true;
  int weight;
  final List<Action> log = new ArrayList<>();

  /** Canary weight at the moment each action was carried out; proves traffic moves before scale. */
  final List<Integer> weightAtAction = new ArrayList<>();

  RolloutStatus status;
  Instant now = Fixtures.T0;

  /** Whether Services are observed at all (older tables leave them out), and what they select. */
  boolean observeServices;

  String stableSelects = "";
  String canarySelects = "";
  boolean canaryServiceMissing;
  int serviceVersion;

  /**
   * Whether the last write of the route's weights, or of the Services' selectors, was someone
   * else's.
   */
  boolean weightsEditedByOthers;

  boolean selectorsEditedByOthers;

  /** Whether the Services lack the Rollout's label (written by a Slipway that did not label). */
  boolean servicesUnlabeled;

  /** The route's metadata.generation: a weight change is a spec change. */
  long routeGeneration = 3;

  /** The segment and mirror the route carries. */
  RouteShape shape = RouteShape.NONE;

  /** Why the gateway is known not to support mirroring, or null. */
  String mirrorUnsupported;

  /** Replicas of the Deployment being adopted; null when the spec names none. */
  Integer deploymentReplicas;

  /**
   * Why that Deployment may not be adopted (no consent, an older claim, unselected pods), or null.
   */
  String workloadRefusal;

  /** The StatefulSet the Rollout walks in place (workloadRef kind StatefulSet); null when none. */
  StatefulSetSim sts;

  /** The DaemonSet the Rollout walks node by node (workloadRef kind DaemonSet); null when none. */
  DaemonSetSim ds;

  /** Whether its pods are observed as a restart reads them. */
  boolean stsPods;

  /** What the edge found of the desired revision's images (spec.imagePolicy); null: none. */
  ImageVerdict images;

  Decision step(RolloutSpec spec, String desired) {
    return step(spec, desired, null);
  }

  Decision step(RolloutSpec spec, String desired, RequestAction request) {
    if (ds != null) {
      // Git applies desired; the revision wanted is the template's, unless the core wrote it back.
      ds.now = now;
      desired = ds.desired(desired, status);
    } else if (sts != null) {
      desired = sts.desired(desired, status);
    }
    Fixtures.Obs o =
        Fixtures.obs(desired)
            .weight(weight, gatewayAccepts)
            .weightsEditedByOthers(weightsEditedByOthers)
            .generation(routeGeneration)
            .shape(shape)
            .mirrorUnsupported(mirrorUnsupported)
            .images(images)
            .workload(
                ds != null
                    ? new WorkloadView(
                        ds.name, true, ds.readyNodes(), workloadRefusal, null, ds.view())
                    : sts != null
                        ? new WorkloadView(
                            sts.name, true, sts.replicas, workloadRefusal, sts.view())
                        : deploymentReplicas == null
                            ? null
                            : new WorkloadView(
                                "legacy", true, deploymentReplicas, workloadRefusal));
    if (ds != null) {
      ds.observe(o);
      if (stsPods) {
        o.pods = ds.view().readyNodes().stream().flatMap(n -> n.pods().stream()).toList();
      }
    } else if (sts != null) {
      sts.now = now;
      sts.observe(o);
      // Its pods, as a restart reads them (tables that restart ask for them).
      if (stsPods) o.pods = sts.view().pods();
    } else {
      replicas.forEach((rev, n) -> o.rs(rev, n, podsGetReady ? n : 0));
    }
    verdicts.forEach(
        (k, v) -> {
          String[] parts = k.split("/");
          if (parts[0].equals(status == null ? null : status.canaryRevision())) {
            o.verdict(Integer.parseInt(parts[1]), v.verdict(), v.reason());
          }
        });
    if (request != null) {
      o.request(request);
    }
    if (observeServices) {
      o.services(
          stableSelects,
          canaryServiceMissing ? null : canarySelects,
          "v" + serviceVersion,
          selectorsEditedByOthers ? Set.of("demo-stable", "demo-canary") : Set.of(),
          servicesUnlabeled ? Set.of("demo-stable", "demo-canary") : Set.of());
    }
    Decision d = RolloutDecider.decide(spec, status, o.build(), now);
    for (Action a : d.actions()) {
      weightAtAction.add(weight);
      log.add(a);
      if (sts != null) sts.apply(a, podsGetReady);
      if (ds != null) ds.apply(a);
      if (a instanceof Action.EnsureReplicaSet e) {
        replicas.put(e.revision(), e.replicas());
      } else if (a instanceof Action.ScaleReplicaSet s) {
        replicas.computeIfPresent(s.revision(), (k, v) -> s.replicas());
      } else if (a instanceof Action.SetWeight w) {
        if (weight != w.canaryWeight() || !shape.equals(w.shape())) routeGeneration++;
        weight = w.canaryWeight();
        shape = w.shape();
        weightsEditedByOthers = false;
      } else if (a instanceof Action.PointServices p) {
        stableSelects = p.stableRevision();
        canarySelects = p.canaryRevision();
        selectorsEditedByOthers = false;
        servicesUnlabeled = false;
        serviceVersion++;
      } else if (a instanceof Action.ScaleWorkload sw) {
        deploymentReplicas = sw.replicas();
      } else if (a instanceof Action.ForgetAnalysis f) {
        verdicts.remove(f.revision() + "/" + f.stepIndex());
      }
    }
    status = d.status();
    if (sts != null) sts.tick(podsGetReady);
    if (ds != null) ds.tick(podsGetReady);
    return d;
  }

  /** Runs decisions until nothing changes, advancing the clock by each requeue. */
  RolloutStatus settle(RolloutSpec spec, String desired, int max) {
    for (int i = 0; i < max; i++) {
      RolloutStatus before = status;
      Decision d = step(spec, desired);
      if (d.status().equals(before) && d.actionsOf(Action.RecordTransition.class).isEmpty()) {
        if (d.requeueAfter() == null || d.requeueAfter().compareTo(Duration.ofMinutes(5)) > 0) {
          return status;
        }
        now = now.plus(d.requeueAfter());
      }
    }
    return status;
  }

  List<Action.RecordTransition> transitions() {
    return log.stream()
        .filter(Action.RecordTransition.class::isInstance)
        .map(Action.RecordTransition.class::cast)
        .toList();
  }
}
