package dev.slipway.e2e.cluster;

import dev.slipway.e2e.tools.Await;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One test class's use of a shared cluster ({@link SharedClusters}): everything a {@link Cluster}
 * offers, but closing it deletes the namespaces created since the lease was taken (so the next
 * class's controller does not inherit this class's Rollouts) and leaves the cluster running. On the
 * real node it waits for them to go.
 */
public final class ClusterLease implements Cluster {
  /**
   * How long (scaled with load) a class's namespaces may take to go when it returns the cluster.
   */
  static final Duration DRAIN = Duration.ofMinutes(3);

  private final Cluster shared;
  private final Set<String> before;
  private final boolean drain;

  /**
   * @param drain wait for the class's namespaces to be gone on close (where the next class reuses
   *     their names)
   */
  ClusterLease(Cluster shared, boolean drain) {
    this.shared = shared;
    this.before = names(shared.admin());
    this.drain = drain;
  }

  /**
   * The shared cluster as the local control plane, for what only it offers (the real node, its CA,
   * its port).
   */
  public LocalControlPlane plane() {
    if (shared instanceof LocalControlPlane p) {
      return p;
    }
    throw new IllegalStateException(
        "the shared cluster is not the local control plane: " + shared.describe());
  }

  @Override
  public String describe() {
    return shared.describe() + " (shared)";
  }

  @Override
  public KubernetesClient admin() {
    return shared.admin();
  }

  @Override
  public Path adminKubeconfig() {
    return shared.adminKubeconfig();
  }

  @Override
  public boolean runsPods() {
    return shared.runsPods();
  }

  @Override
  public boolean fakePods() {
    return shared.fakePods();
  }

  @Override
  public Path kubeconfigFor(String user, String token) {
    return shared.kubeconfigFor(user, token);
  }

  @Override
  public Path dir() {
    return shared.dir();
  }

  /**
   * Deletes the namespaces this class created and, on a lease that drains, waits until they are
   * gone, so that the next class may reuse a name (the real node's classes all use "shop"). Other
   * classes' namespaces have names of their own: they finish terminating in the background, and
   * their Rollouts (their finalizers cleared: the class's controller has stopped) are gone at once,
   * so the next class's controller has nothing of theirs to reconcile. Never stops the cluster.
   */
  @Override
  public void close() {
    List<String> created =
        names(shared.admin()).stream().filter(n -> !before.contains(n)).sorted().toList();
    if (created.isEmpty()) {
      return;
    }
    long t0 = System.nanoTime();
    for (String ns : created) {
      releaseFinalizers(ns);
      try {
        shared.admin().namespaces().withName(ns).delete();
      } catch (RuntimeException e) {
        System.err.println("lease teardown: deleting namespace " + ns + ": " + e.getMessage());
      }
    }
    if (!drain || !shared.runsPods()) {
      System.out.println("lease returned: namespaces " + created + " deleted (terminating)");
      return;
    }
    List<List<String>> left = new ArrayList<>(List.of(created));
    Await.until("namespaces " + created + " gone", DRAIN)
        .every(Duration.ofMillis(200))
        .triedHolds(
            () -> {
              Set<String> now = names(shared.admin());
              left.set(0, left.get(0).stream().filter(now::contains).toList());
              return left.get(0).isEmpty();
            });
    System.out.printf(
        "lease returned: namespaces %s deleted in %d ms%s%n",
        created,
        (System.nanoTime() - t0) / 1_000_000,
        left.get(0).isEmpty() ? "" : "; still terminating: " + left.get(0));
  }

  /**
   * The class's controller has stopped, so nothing will release its Rollouts' traffic finalizer:
   * the harness clears it as an admin would (docs/state-machine.md, "A deleted Rollout"), so the
   * namespace goes at once.
   */
  private void releaseFinalizers(String ns) {
    try {
      var rollouts =
          shared
              .admin()
              .genericKubernetesResources("slipway.dev/v1alpha1", "Rollout")
              .inNamespace(ns);
      for (var r : rollouts.list().getItems()) {
        if (r.getMetadata().getFinalizers() == null || r.getMetadata().getFinalizers().isEmpty())
          continue;
        rollouts
            .withName(r.getMetadata().getName())
            .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"metadata\":{\"finalizers\":null}}");
      }
    } catch (RuntimeException e) {
      // No Slipway CRDs on this cluster, or the Rollout went meanwhile: nothing holds the
      // namespace.
    }
  }

  private static Set<String> names(KubernetesClient client) {
    return client.namespaces().list().getItems().stream()
        .map(Namespace::getMetadata)
        .map(m -> m.getName())
        .collect(Collectors.toSet());
  }
}
