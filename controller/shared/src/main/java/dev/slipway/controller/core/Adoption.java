package dev.slipway.controller.core;

import dev.slipway.api.v1alpha1.WorkloadRef;
import java.time.Duration;
import java.time.Instant;

/**
 * Taking over the pods of an existing Deployment (spec.workloadRef) without dropping a request: the
 * Rollout's pods are ready before the Services select them (firstDeploy holds the Services back),
 * and the Deployment goes to 0 only a scale-down delay after the Services selected them, so
 * requests the gateway still sends to the old endpoints find their pods.
 */
final class Adoption {
  private Adoption() {}

  /**
   * While adopting, the first deploy points the Services only once the Rollout's own pods are
   * ready.
   */
  static boolean holdsServices(RolloutDecider.Ctx c) {
    WorkloadView w = c.obs().workload();
    return c.spec().workloadRef() != null
        && !c.spec().workloadRef().inPlace()
        && w != null
        && w.exists()
        && w.replicas() > 0;
  }

  static void apply(RolloutDecider.Ctx c) {
    Draft d = c.d();
    WorkloadRef ref = c.spec().workloadRef();
    WorkloadView w = c.obs().workload();
    if (ref == null || ref.inPlace() || w == null || !w.exists() || w.replicas() == 0) {
      d.s.adoptionScaleDownAt = null;
      return;
    }
    String stable = d.s.stableRevision;
    ServicesView sv = c.obs().services();
    if (stable == null
        || c.obs().ready(stable) < c.replicas()
        || sv == null
        || !stable.equals(sv.selects().get(c.spec().strategy().plan().stableService()))) {
      // Not yet: the Rollout's pods are not all ready, or the Services do not select them yet.
      return;
    }
    Duration delay = c.spec().strategy().plan().scaleDownDelayOrDefault();
    if (d.s.adoptionScaleDownAt == null) {
      d.s.adoptionScaleDownAt = d.now.plus(delay).toString();
    }
    Instant at = Instant.parse(d.s.adoptionScaleDownAt);
    if (d.now.isBefore(at)) {
      d.s.message =
          "adopting Deployment "
              + ref.name()
              + ": the Services select "
              + stable
              + "; its "
              + w.replicas()
              + " pod(s) stay until "
              + at
              + " (scaleDownDelay "
              + delay.toSeconds()
              + "s)";
      d.requeueIn(Duration.between(d.now, at));
      return;
    }
    d.act(new Action.ScaleWorkload(ref.name(), 0));
    d.act(
        new Action.Emit(
            false,
            "Adopted",
            "Deployment "
                + ref.name()
                + " scaled from "
                + w.replicas()
                + " to 0: its traffic is served by "
                + stable
                + " since "
                + Instant.parse(d.s.adoptionScaleDownAt).minus(delay)));
    d.s.message =
        "adopted Deployment " + ref.name() + " (scaled to 0); revision " + stable + " is stable";
    d.requeueIn(RolloutDecider.POLL);
  }
}
