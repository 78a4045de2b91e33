package dev.slipway.controller.reconcile;

import dev.slipway.api.v1alpha1.Rollout;
import dev.slipway.api.v1alpha1.RolloutStatus;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one status write of a pass, pinned to the resourceVersion read, and the memory it leaves: a
 * cached copy of a Rollout still at the version our write replaced has not seen that write, so a
 * pass must read afresh rather than decide on it (a manual request is never applied twice).
 */
final class StatusWrites {
  private static final Logger LOG = LoggerFactory.getLogger(StatusWrites.class);

  private final KubernetesClient client;

  /**
   * Per Rollout uid, the resourceVersion our last write replaced. Removed once a copy past it is
   * used, so it stays small.
   */
  private final Map<String, String> supersededByOurWrite = new ConcurrentHashMap<>();

  StatusWrites(KubernetesClient client) {
    this.client = client;
  }

  /** Whether this cached copy already shows our last write (and may be decided on). */
  boolean fresh(Rollout cached) {
    if (cached == null
        || cached.getMetadata().getUid() == null
        || cached.getMetadata().getResourceVersion() == null) {
      return false;
    }
    String stale = supersededByOurWrite.get(cached.getMetadata().getUid());
    if (cached.getMetadata().getResourceVersion().equals(stale)) {
      return false;
    }
    if (stale != null) {
      supersededByOurWrite.remove(cached.getMetadata().getUid(), stale);
    }
    return true;
  }

  /** We wrote the Rollout itself (its finalizer): the version read is superseded too. */
  void superseded(Rollout read) {
    if (read.getMetadata().getUid() != null) {
      supersededByOurWrite.put(
          read.getMetadata().getUid(), read.getMetadata().getResourceVersion());
    }
  }

  void forget(String uid) {
    if (uid != null) {
      supersededByOurWrite.remove(uid);
    }
  }

  /**
   * Writes status pinned to the resourceVersion read, so a concurrent manual request is never lost.
   * False on a conflict (409): the next pass decides on fresh data.
   */
  boolean write(Rollout r, RolloutStatus next) {
    Rollout copy = new Rollout();
    // Without managedFields: the API server keeps the live object's, and the informer's copy holds
    // only some of them (LeanStores).
    copy.setMetadata(new ObjectMetaBuilder(r.getMetadata()).withManagedFields().build());
    copy.setSpec(r.getSpec());
    copy.setStatus(next);
    try {
      client.resource(copy).updateStatus();
      LOG.debug(
          "{}/{}: status written: {} -> {}",
          r.getMetadata().getNamespace(),
          r.getMetadata().getName(),
          r.getStatus(),
          next);
      superseded(r);
      return true;
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) throw e;
      LOG.debug(
          "status of {}/{} changed under us; retrying on fresh data",
          r.getMetadata().getNamespace(),
          r.getMetadata().getName());
      return false;
    }
  }
}
