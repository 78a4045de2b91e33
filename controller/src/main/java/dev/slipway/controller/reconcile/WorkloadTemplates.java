package dev.slipway.controller.reconcile;

import dev.slipway.api.v1alpha1.Rollout;
import dev.slipway.api.v1alpha1.RolloutSpec;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.time.Duration;

/**
 * A Rollout with spec.workloadRef and no spec.template runs the workload's pod template (a
 * StatefulSet's replica count too), read at every pass, as Argo Rollouts does: Git keeps one copy
 * of the template, in the Deployment. The pass goes on with a copy of the Rollout whose spec
 * carries that template; the stored Rollout is never written with it.
 */
final class WorkloadTemplates {
  /**
   * How often such a Rollout is looked at without an event: Deployments are not watched (an
   * informer on every Deployment of the cluster would cost memory for the few that are adopted).
   */
  static final Duration POLL = Duration.ofSeconds(30);

  private WorkloadTemplates() {}

  /** Whether the Rollout's pod template is its Deployment's. */
  static boolean fromWorkload(Rollout r) {
    RolloutSpec s = r.getSpec();
    return s != null && s.template() == null && s.workloadRef() != null;
  }

  /**
   * The Rollout to decide on: itself, or a copy with the Deployment's template (unchanged when the
   * Deployment or its template is missing; the core then says so and acts on nothing).
   */
  static Rollout resolved(Rollout r, HasMetadata workload) {
    if (!fromWorkload(r)) return r;
    PodTemplateSpec template = null;
    Integer replicas = r.getSpec().replicas();
    if (workload instanceof Deployment d && d.getSpec() != null) {
      template = d.getSpec().getTemplate();
    } else if (workload instanceof StatefulSet sts && sts.getSpec() != null) {
      // A StatefulSet lends its replica count too: its ordinals are what the steps count.
      template = sts.getSpec().getTemplate();
      replicas = StatefulSets.replicas(sts);
    } else if (workload instanceof DaemonSet ds && ds.getSpec() != null) {
      // A DaemonSet's pods are one per node: the core counts its Ready nodes (NodeWalk); this is
      // what its controller last counted, for the rest.
      template = ds.getSpec().getTemplate();
      Integer n = ds.getStatus() == null ? null : ds.getStatus().getDesiredNumberScheduled();
      replicas = n == null ? 0 : n;
    }
    if (template == null) return r;
    Rollout copy = new Rollout();
    copy.setMetadata(r.getMetadata());
    copy.setStatus(r.getStatus());
    copy.setSpec(
        r.getSpec()
            .withTemplate(new PodTemplateSpecBuilder(template).build())
            .withReplicas(replicas));
    return copy;
  }
}
