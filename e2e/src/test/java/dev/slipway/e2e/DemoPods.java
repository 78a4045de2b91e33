package dev.slipway.e2e;

import dev.slipway.controller.reconcile.ClusterFixture;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;

/**
 * The pods of the fixture's app (label app=demo) in its namespace, as a workload's tests read them.
 */
final class DemoPods {
  private DemoPods() {}

  /** Those not being deleted. */
  static List<Pod> live(ClusterFixture f) {
    return f.client.pods().inNamespace(f.ns).withLabel("app", "demo").list().getItems().stream()
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
        .toList();
  }

  static boolean ready(Pod p) {
    return p.getStatus() != null
        && p.getStatus().getConditions() != null
        && p.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }
}
