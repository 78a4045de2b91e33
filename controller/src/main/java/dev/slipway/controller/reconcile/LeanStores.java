package dev.slipway.controller.reconcile;

import dev.slipway.api.v1alpha1.Rollout;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import io.javaoperatorsdk.operator.api.config.informer.InformerConfiguration;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.source.informer.TransformingItemStore;
import java.util.Set;

/**
 * Informer caches of the objects a Rollout points at (ReplicaSets, Services, routes, StatefulSets,
 * DaemonSets), kept without {@code metadata.managedFields}: no pass reads another object's field
 * managers, and they are a large part of each cached object (a field tree per writer). At 10,000
 * Rollouts that is tens of megabytes of heap, and of copying in every young collection of a
 * restart. A write from a cached copy is unaffected: the API server keeps the live object's
 * managedFields when an update carries none.
 *
 * <p>The Rollouts' own cache keeps them: who wrote a manual request is read from there.
 */
final class LeanStores {
  private LeanStores() {}

  /**
   * The builder with a store that drops managedFields, where the event source is one informer.
   * JOSDK gives one store instance to every namespace's informer, and an informer's relist removes
   * from its store what its own list lacks: a store shared by several informers would lose the
   * other namespaces' objects. Listed namespaces (more than one) keep the default stores.
   */
  static <R extends HasMetadata> InformerEventSourceConfiguration.Builder<R> lean(
      InformerEventSourceConfiguration.Builder<R> builder,
      EventSourceContext<Rollout> context,
      boolean allNamespaces) {
    return oneInformer(context.getControllerConfiguration().getInformerConfig(), allNamespaces)
        ? builder.withItemStore(store())
        : builder;
  }

  static boolean oneInformer(InformerConfiguration<Rollout> controller, boolean allNamespaces) {
    if (allNamespaces || controller.watchAllNamespaces()) {
      return true;
    }
    Set<String> namespaces = controller.getNamespaces();
    return namespaces != null && namespaces.size() == 1;
  }

  /** A store that keeps each object without its managedFields. */
  static <R extends HasMetadata> ItemStore<R> store() {
    return new TransformingItemStore<>(LeanStores::withoutManagedFields);
  }

  static <R extends HasMetadata> R withoutManagedFields(R r) {
    if (r.getMetadata() != null) {
      r.getMetadata().setManagedFields(null);
    }
    return r;
  }
}
