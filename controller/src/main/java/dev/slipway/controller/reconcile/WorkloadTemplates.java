package dev.slipway.controller.reconcile;

import dev.slipway.api.v1alpha1.Rollout;
import dev.slipway.api.v1alpha1.RolloutSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.time.Duration;

/**
 * A Rollout with spec.workloadRef and no spec.template runs the Deployment's pod template, read at
 * every pass, as Argo Rollouts does: Git keeps one copy of the template, in the Deployment. The
 * pass goes on with a copy of the Rollout whose spec carries that template; the stored Rollout is
 * never written with it.
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
  static Rollout resolved(Rollout r, Deployment d) {
    if (!fromWorkload(r) || d == null || d.getSpec() == null || d.getSpec().getTemplate() == null)
      return r;
    Rollout copy = new Rollout();
    copy.setMetadata(r.getMetadata());
    copy.setStatus(r.getStatus());
    copy.setSpec(
        r.getSpec().withTemplate(new PodTemplateSpecBuilder(d.getSpec().getTemplate()).build()));
    return copy;
  }
}
