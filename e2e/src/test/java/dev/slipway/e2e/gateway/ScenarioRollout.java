package dev.slipway.e2e.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.slipway.api.v1alpha1.RevisionState;
import dev.slipway.api.v1alpha1.Rollout;
import dev.slipway.api.v1alpha1.RolloutStatus;
import dev.slipway.e2e.tools.Kubectl;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * One app's Rollout as an edge scenario drives it: its manifests applied with kubectl in its
 * namespace, actions requested as a release engineer would, its status read back.
 */
final class ScenarioRollout {
  private final KubernetesClient admin;
  private final Kubectl kubectl;
  private final String ns;
  private final String name;

  ScenarioRollout(KubernetesClient admin, Kubectl kubectl, String ns, String name) {
    this.admin = admin;
    this.kubectl = kubectl;
    this.ns = ns;
    this.name = name;
  }

  /** kubectl apply in the Rollout's namespace. */
  void apply(String yaml) {
    Kubectl.Result r = kubectl.run(yaml, "apply", "-n", ns, "-f", "-");
    assertEquals(0, r.exit(), r.out());
  }

  /** kubectl apply of cluster-scoped objects (PersistentVolumes). */
  void applyClusterScoped(String yaml) {
    Kubectl.Result r = kubectl.run(yaml, "apply", "-f", "-");
    assertEquals(0, r.exit(), r.out());
  }

  /** A manual action, through status.request as the kubectl one-liners write it. */
  void request(String action) {
    Kubectl.Result r = kubectl.request(ns, name, action);
    assertEquals(0, r.exit(), r.out());
  }

  RolloutStatus status() {
    Rollout r = admin.resources(Rollout.class).inNamespace(ns).withName(name).get();
    return r == null || r.getStatus() == null ? RolloutStatus.empty() : r.getStatus();
  }

  RevisionState state() {
    return status().state();
  }
}
