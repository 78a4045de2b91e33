package dev.slipway.controller.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.api.v1alpha1.Rollout;
import dev.slipway.controller.kube.FieldOwners;
import io.fabric8.kubernetes.api.model.FieldsV1;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import io.javaoperatorsdk.operator.api.config.informer.InformerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LeanStoresTest {

  @Test
  void aCachedObjectKeepsEverythingButItsFieldManagers() {
    ItemStore<ReplicaSet> store = LeanStores.store();
    ReplicaSet rs =
        new ReplicaSetBuilder()
            .withNewMetadata()
            .withNamespace("shop")
            .withName("shop-5d9f")
            .withResourceVersion("42")
            .addToLabels("slipway.dev/rollout", "shop")
            .addToManagedFields(
                new ManagedFieldsEntryBuilder()
                    .withManager("slipway")
                    .withOperation("Update")
                    .withFieldsV1(fields())
                    .build())
            .endMetadata()
            .withNewSpec()
            .withReplicas(3)
            .endSpec()
            .build();
    String key = store.getKey(rs);
    assertEquals(Cache.metaNamespaceKeyFunc(rs), key);
    store.put(key, rs);
    ReplicaSet cached = store.get("shop/shop-5d9f");
    assertNull(cached.getMetadata().getManagedFields());
    assertEquals("42", cached.getMetadata().getResourceVersion());
    assertEquals("shop", cached.getMetadata().getLabels().get("slipway.dev/rollout"));
    assertEquals(3, cached.getSpec().getReplicas());
    assertEquals(1, store.size());
    // Full state, so fabric8 hands a relist out once it is whole (see LeanStores.Transforming).
    assertTrue(store.isFullState());
    assertTrue(LeanStores.<Rollout>keeping("f:status", "f:request").isFullState());
  }

  @Test
  void aCachedRolloutKeepsOnlyWhoWroteItsRequest() {
    Rollout r = new Rollout();
    r.setMetadata(
        new ObjectMetaBuilder()
            .withNamespace("shop")
            .withName("shop")
            .withResourceVersion("7")
            .addToManagedFields(entry("argocd-controller", "Apply", null, "f:spec"))
            .addToManagedFields(entry("slipway", "Update", "status", "f:status"))
            .addToManagedFields(entry("kubectl-patch", "Update", "status", "f:status", "f:request"))
            .build());
    ItemStore<Rollout> store = LeanStores.rollouts(Set.of());
    store.put(store.getKey(r), r);
    Rollout cached = store.get("shop/shop");
    assertEquals(1, cached.getMetadata().getManagedFields().size());
    ManagedFieldsEntry kept = cached.getMetadata().getManagedFields().get(0);
    assertEquals("kubectl-patch", kept.getManager());
    assertEquals("2026-12-07T10:00:00Z", kept.getTime());
    assertEquals(List.of("kubectl-patch"), FieldOwners.of(cached, "f:status", "f:request"));
    assertEquals(
        Map.of("f:status", Map.of("f:request", Map.of())),
        kept.getFieldsV1().getAdditionalProperties());
    assertEquals("7", cached.getMetadata().getResourceVersion());
    // Listed namespaces: JOSDK's own store (see below).
    assertNull(LeanStores.rollouts(Set.of("shop", "pay")));
  }

  @Test
  void aCachedServiceKeepsWhoWroteItsSelectorSoDriftIsStillTold() {
    Service svc =
        new ServiceBuilder()
            .withNewMetadata()
            .withNamespace("shop")
            .withName("shop-canary")
            .withResourceVersion("9")
            .addToManagedFields(
                entry("kubectl-client-side-apply", "Update", null, "f:spec", "f:ports"))
            .addToManagedFields(entry("slipway", "Apply", null, "f:spec", "f:selector"))
            .addToManagedFields(entry("kubectl-edit", "Update", null, "f:spec", "f:selector"))
            .endMetadata()
            .build();
    List<String> before = FieldOwners.of(svc, "f:spec", "f:selector");
    ItemStore<Service> store = LeanStores.keeping("f:spec", "f:selector");
    store.put(store.getKey(svc), svc);
    Service cached = store.get("shop/shop-canary");
    assertEquals(List.of("slipway", "kubectl-edit"), before);
    assertEquals(before, FieldOwners.of(cached, "f:spec", "f:selector"));
    assertTrue(FieldOwners.foreign(cached, "f:spec", "f:selector"));
    assertEquals(2, cached.getMetadata().getManagedFields().size());
    assertEquals(
        Map.of("f:spec", Map.of("f:selector", Map.of())),
        cached.getMetadata().getManagedFields().get(0).getFieldsV1().getAdditionalProperties());
  }

  private static ManagedFieldsEntry entry(
      String manager, String operation, String subresource, String... path) {
    Map<String, Object> tree = new LinkedHashMap<>(Map.of("f:other", Map.of()));
    Map<String, Object> leaf = tree;
    for (String p : path) {
      Map<String, Object> next = new LinkedHashMap<>();
      leaf.put(p, next);
      leaf = next;
    }
    FieldsV1 f = new FieldsV1();
    tree.forEach(f::setAdditionalProperty);
    return new ManagedFieldsEntryBuilder()
        .withManager(manager)
        .withOperation(operation)
        .withSubresource(subresource)
        .withTime("2026-12-07T10:00:00Z")
        .withFieldsV1(f)
        .build();
  }

  @Test
  void onlyAnEventSourceOfOneInformerGetsItsOwnStore() {
    // JOSDK hands the same store to each namespace's informer, and a relist in one would drop the
    // others' objects: listed namespaces keep fabric8's stores.
    assertTrue(LeanStores.oneInformer(config(Constants.WATCH_ALL_NAMESPACE_SET), false));
    assertTrue(LeanStores.oneInformer(config(Set.of("shop")), false));
    assertTrue(LeanStores.oneInformer(config(Set.of("shop", "pay")), true));
    assertFalse(LeanStores.oneInformer(config(Set.of("shop", "pay")), false));
  }

  private static FieldsV1 fields() {
    FieldsV1 f = new FieldsV1();
    f.setAdditionalProperty("f:spec", Map.of("f:replicas", Map.of()));
    return f;
  }

  private static InformerConfiguration<Rollout> config(Set<String> namespaces) {
    return InformerConfiguration.builder(Rollout.class).withNamespaces(namespaces).build();
  }
}
