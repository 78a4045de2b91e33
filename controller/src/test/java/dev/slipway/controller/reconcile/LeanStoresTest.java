package dev.slipway.controller.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.api.v1alpha1.Rollout;
import io.fabric8.kubernetes.api.model.FieldsV1;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import io.javaoperatorsdk.operator.api.config.informer.InformerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
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
