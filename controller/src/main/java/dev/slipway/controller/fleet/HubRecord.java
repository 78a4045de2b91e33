package dev.slipway.controller.fleet;

import dev.slipway.api.v1alpha1.RecordEntry;
import dev.slipway.api.v1alpha1.Release;
import dev.slipway.api.v1alpha1.RolloutRecord;
import dev.slipway.api.v1alpha1.RolloutRecordSpec;
import dev.slipway.controller.core.fleet.RecordNote;
import dev.slipway.controller.evidence.Chain;
import dev.slipway.controller.evidence.EntryDraft;
import dev.slipway.controller.evidence.EvidenceKeys;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The hub's own evidence of a release: a hash-chained entry list signed with the hub's key, kept in
 * a RolloutRecord named release-NAME (labelled slipway.dev/release, owned by the Release). Each
 * WavePassed entry links the head of every member Rollout's record as the hub verified it, with the
 * id of the member key it verified with, so that an auditor can check the members' exports against
 * the hub's: a member record cut short after its wave passed no longer holds the linked head.
 * Written before the status that reports the same decision (evidence before action); idempotent by
 * entry key, and pinned to the record's resourceVersion.
 */
public final class HubRecord {
  public static final String LABEL = "slipway.dev/release";
  public static final String REVISION = "release";

  private final KubernetesClient client;
  private final EvidenceKeys keys;
  private final Clock clock;

  public HubRecord(KubernetesClient client, EvidenceKeys keys, Clock clock) {
    this.client = client;
    this.keys = keys;
    this.clock = clock;
  }

  public static String name(String release) {
    String n = "release-" + release;
    return n.length() <= 253 ? n : n.substring(0, 253);
  }

  /**
   * Appends the notes not yet recorded; {@code memberKeyIds} names each member cluster's registered
   * key, added to every member link.
   */
  public void append(Release r, List<RecordNote> notes, Function<String, String> memberKeyIds) {
    if (notes.isEmpty()) return;
    for (int tries = 0; ; tries++) {
      try {
        tryAppend(r, notes, memberKeyIds);
        return;
      } catch (KubernetesClientException e) {
        // Another writer (a previous leader) got there first: read it again.
        if (e.getCode() != 409 || tries >= 3) throw e;
      }
    }
  }

  private void tryAppend(Release r, List<RecordNote> notes, Function<String, String> keyIds) {
    String ns = r.getMetadata().getNamespace();
    String name = name(r.getMetadata().getName());
    RolloutRecord existing =
        client.resources(RolloutRecord.class).inNamespace(ns).withName(name).get();
    List<RecordEntry> entries =
        new ArrayList<>(existing == null ? List.of() : existing.getSpec().entriesOrEmpty());
    Set<String> have = new HashSet<>();
    for (RecordEntry e : entries) have.add(e.key());
    int before = entries.size();
    for (RecordNote n : notes) {
      if (!have.add(n.key())) continue;
      RecordEntry last = entries.isEmpty() ? null : entries.get(entries.size() - 1);
      EntryDraft d =
          new EntryDraft(
              n.key(),
              n.kind(),
              EntryDraft.DECISION,
              null,
              clock.instant().toString(),
              withKeyIds(n.data(), keyIds),
              null);
      entries.add(Chain.seal(d, entries.size(), last == null ? Chain.GENESIS : last.hash(), keys));
    }
    if (entries.size() == before) return;
    RolloutRecord rec = new RolloutRecord();
    rec.setMetadata(
        new ObjectMetaBuilder()
            .withName(name)
            .withNamespace(ns)
            .withResourceVersion(
                existing == null ? null : existing.getMetadata().getResourceVersion())
            .addToLabels(LABEL, labelValue(r.getMetadata().getName()))
            .withOwnerReferences(
                new OwnerReferenceBuilder()
                    .withApiVersion(r.getApiVersion())
                    .withKind(r.getKind())
                    .withName(r.getMetadata().getName())
                    .withUid(r.getMetadata().getUid())
                    .build())
            .build());
    rec.setSpec(
        new RolloutRecordSpec(
            r.getMetadata().getName(),
            r.getMetadata().getUid(),
            REVISION,
            1,
            0,
            keys.keyId(),
            entries));
    if (existing == null) {
      client.resources(RolloutRecord.class).inNamespace(ns).resource(rec).create();
    } else {
      client.resources(RolloutRecord.class).inNamespace(ns).resource(rec).update();
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> withKeyIds(
      Map<String, Object> data, Function<String, String> keyIds) {
    Map<String, Object> out = new LinkedHashMap<>(data);
    if (data.get("members") instanceof List<?> ms) {
      List<Object> linked = new ArrayList<>();
      for (Object m : ms) linked.add(withKeyId((Map<String, Object>) m, keyIds));
      out.put("members", linked);
    }
    if (data.get("member") instanceof Map<?, ?> m) {
      out.put("member", withKeyId((Map<String, Object>) m, keyIds));
    }
    return out;
  }

  private static Map<String, Object> withKeyId(
      Map<String, Object> link, Function<String, String> keyIds) {
    Map<String, Object> out = new LinkedHashMap<>(link);
    String id = keyIds.apply(String.valueOf(link.get("cluster")));
    if (id != null) out.put("keyId", id);
    return out;
  }

  private static String labelValue(String name) {
    return name.length() <= 63 ? name : name.substring(0, 63);
  }
}
