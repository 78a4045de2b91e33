package dev.slipway.controller.reconcile;

import dev.slipway.api.v1alpha1.Rollout;
import dev.slipway.controller.kube.ClusterReads;
import dev.slipway.controller.kube.Labels;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Points the stable and canary Services at a revision through one selector key, and labels them
 * with their Rollout's name (slipway.dev/rollout), so that the controller's Service informer holds
 * only the Services it points instead of every Service of the cluster.
 *
 * <p>{@code spec.selector} is an atomic map, so a server-side apply of our key alone would drop the
 * user's keys. We apply the live selector plus our key, pinned to the resourceVersion we read: a
 * concurrent edit fails the apply and the next reconcile retries on fresh data. Labels are a
 * granular map: the apply owns our label only.
 */
public final class ServiceSelectors {
  private final KubernetesClient client;
  private final ClusterReads reads;

  public ServiceSelectors(KubernetesClient client) {
    this(client, ClusterReads.direct(client));
  }

  public ServiceSelectors(KubernetesClient client, ClusterReads reads) {
    this.client = client;
    this.reads = reads;
  }

  /**
   * Points the stable and canary Services' selectors at their revisions.
   *
   * @return problems (missing Services), empty when both point where asked
   */
  public List<String> point(Rollout r, String stableRevision, String canaryRevision) {
    List<String> problems = new ArrayList<>();
    var canary = r.getSpec().strategy().plan();
    point(r, canary.stableService(), stableRevision, problems);
    point(r, canary.canaryService(), canaryRevision, problems);
    return problems;
  }

  private void point(Rollout r, String name, String revision, List<String> problems) {
    String ns = r.getMetadata().getNamespace();
    Service live = reads.service(ns, name);
    if (live == null) {
      problems.add("Service " + ns + "/" + name + " not found");
      return;
    }
    if (live.getSpec().getSelector() != null
        && revision.equals(live.getSpec().getSelector().get(Labels.revision(r)))
        && labelled(live, r)) {
      return;
    }
    Map<String, String> selector =
        new TreeMap<>(
            live.getSpec().getSelector() == null ? Map.of() : live.getSpec().getSelector());
    selector.put(Labels.revision(r), revision);
    Service patch =
        new ServiceBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(ns)
            .withResourceVersion(live.getMetadata().getResourceVersion())
            .addToLabels(Labels.ROLLOUT, r.getMetadata().getName())
            .endMetadata()
            .withNewSpec()
            .withSelector(selector)
            .endSpec()
            .build();
    client.resource(patch).fieldManager(Labels.FIELD_MANAGER).forceConflicts().serverSideApply();
  }

  /** Whether the Service carries this Rollout's label. */
  static boolean labelled(Service svc, Rollout r) {
    Map<String, String> labels = svc.getMetadata().getLabels();
    return labels != null && r.getMetadata().getName().equals(labels.get(Labels.ROLLOUT));
  }
}
