package dev.slipway.controller.reconcile;

import dev.slipway.api.v1alpha1.Rollout;
import io.fabric8.kubernetes.api.model.FieldsV1;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import io.javaoperatorsdk.operator.api.config.informer.InformerConfiguration;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Informer caches that keep of {@code metadata.managedFields} only what a pass reads: a field tree
 * per writer makes up a large part of each cached object, and at 10,000 Rollouts that is tens of
 * megabytes of heap and of copying in every young collection of a restart. Kept: the writers of a
 * route's {@code spec.rules} and of a Service's {@code spec.selector} (drift from ours is told by
 * them, {@link dev.slipway.controller.kube.FieldOwners}) and of a Rollout's {@code status.request}
 * (who asked, and when: {@link ObservationReader#request}), each entry reduced to that one field.
 * ReplicaSets, StatefulSets and DaemonSets keep none. Every write from a cached copy is a
 * server-side apply of a new object, a JSON patch, or a status write that sends no managedFields
 * ({@link StatusWrites}), so the API server's own managedFields are never replaced by these.
 */
public final class LeanStores {
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
    return lean(builder, context, allNamespaces, store());
  }

  /** Likewise, keeping the writers of the field at {@code path}, reduced to it. */
  static <R extends HasMetadata> InformerEventSourceConfiguration.Builder<R> lean(
      InformerEventSourceConfiguration.Builder<R> builder,
      EventSourceContext<Rollout> context,
      boolean allNamespaces,
      ItemStore<R> store) {
    return oneInformer(context.getControllerConfiguration().getInformerConfig(), allNamespaces)
        ? builder.withItemStore(store)
        : builder;
  }

  static boolean oneInformer(InformerConfiguration<Rollout> controller, boolean allNamespaces) {
    if (allNamespaces || controller.watchAllNamespaces()) {
      return true;
    }
    Set<String> namespaces = controller.getNamespaces();
    return namespaces != null && namespaces.size() == 1;
  }

  /**
   * The Rollouts' store for a controller watching all namespaces (none listed) or one; null for
   * more (JOSDK's default store, for the reason given at {@link #lean}).
   */
  public static ItemStore<Rollout> rollouts(Set<String> namespaces) {
    return namespaces.size() <= 1 ? LeanStores.<Rollout>keeping("f:status", "f:request") : null;
  }

  /**
   * A store that keeps only the managedFields entries that own the field at {@code path} (e.g.
   * "f:spec", "f:rules"), each reduced to that field.
   */
  static <R extends HasMetadata> ItemStore<R> keeping(String... path) {
    Object tree = Map.of();
    for (int i = path.length - 1; i >= 0; i--) {
      tree = Map.of(path[i], tree);
    }
    // One reduced tree for every entry: nothing writes into a cached object's managedFields.
    FieldsV1 reduced = new FieldsV1();
    ((Map<?, ?>) tree).forEach((k, v) -> reduced.setAdditionalProperty((String) k, v));
    return new Transforming<>(r -> owning(r, reduced, path));
  }

  static <R extends HasMetadata> R owning(R r, FieldsV1 reduced, String... path) {
    var meta = r.getMetadata();
    if (meta == null || meta.getManagedFields() == null) {
      return r;
    }
    List<ManagedFieldsEntry> kept = new ArrayList<>();
    for (ManagedFieldsEntry m : meta.getManagedFields()) {
      Object node = m.getFieldsV1() == null ? null : m.getFieldsV1().getAdditionalProperties();
      for (String p : path) {
        node = node instanceof Map<?, ?> map ? map.get(p) : null;
      }
      if (node != null) {
        m.setFieldsV1(reduced);
        kept.add(m);
      }
    }
    meta.setManagedFields(kept.isEmpty() ? null : kept);
    return r;
  }

  /** A store that keeps each object without its managedFields. */
  static <R extends HasMetadata> ItemStore<R> store() {
    return new Transforming<>(LeanStores::withoutManagedFields);
  }

  /**
   * fabric8's own store, each object transformed as it is put. Unlike JOSDK's TransformingItemStore
   * it says it holds the full state (isFullState, true by default): told otherwise, fabric8 hands
   * an informer's relist to the event handlers add by add as it arrives rather than once the list
   * is whole, and with these stores LeaderElectionE2ETest saw a woken old leader's Rollout written
   * once in 3 of 11 runs (0 of 11 without them, 0 of 6 with this store).
   */
  static final class Transforming<R extends HasMetadata> extends BasicItemStore<R> {
    private final UnaryOperator<R> transform;

    Transforming(UnaryOperator<R> transform) {
      super(Cache::metaNamespaceKeyFunc);
      this.transform = transform;
    }

    @Override
    public R put(String key, R obj) {
      return super.put(key, transform.apply(obj));
    }
  }

  static <R extends HasMetadata> R withoutManagedFields(R r) {
    if (r.getMetadata() != null) {
      r.getMetadata().setManagedFields(null);
    }
    return r;
  }
}
