package dev.slipway.controller.reconcile;

import io.fabric8.kubernetes.api.model.DeleteOptionsBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.Eviction;
import io.fabric8.kubernetes.api.model.policy.v1.EvictionBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * Evicts the pods of a restart: through the Eviction API, so a PodDisruptionBudget has its say. A
 * budget's refusal is a 429 with Retry-After: 10, which the shared client would retry inside the
 * call, holding this Rollout's reconcile (and an abort behind it) for 20 s; evictions go through a
 * client that does not retry, and the decision core asks again on its next pass.
 */
public final class PodEvictions {
  private final KubernetesClient shared;
  private volatile KubernetesClient client;

  public PodEvictions(KubernetesClient client) {
    this.shared = client;
  }

  private KubernetesClient client() {
    if (client == null) {
      synchronized (this) {
        if (client == null) {
          client =
              new KubernetesClientBuilder()
                  .withConfig(
                      new ConfigBuilder(shared.getConfiguration())
                          .withRequestRetryBackoffLimit(0)
                          .build())
                  .build();
        }
      }
    }
    return client;
  }

  /**
   * Evicts the pod through the Eviction API, so that PodDisruptionBudgets hold.
   *
   * @return null when the pod is evicted or already gone (a replayed decision), otherwise why not:
   *     a PodDisruptionBudget refusing for now, or the pod replaced since it was observed
   */
  public String evict(String namespace, String name, String uid) {
    Eviction eviction =
        new EvictionBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(namespace)
            .endMetadata()
            .withDeleteOptions(
                new DeleteOptionsBuilder()
                    .withNewPreconditions()
                    .withUid(uid)
                    .endPreconditions()
                    .build())
            .build();
    try {
      boolean done = client().pods().inNamespace(namespace).withName(name).evict(eviction);
      return done
          ? null
          : "eviction of pod "
              + name
              + " refused for now (a PodDisruptionBudget allows no disruption); trying again";
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404) return null;
      if (e.getCode() == 409)
        return "pod " + name + " was replaced since it was observed; looking again";
      throw e;
    }
  }
}
