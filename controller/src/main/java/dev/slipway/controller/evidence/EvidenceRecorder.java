package dev.slipway.controller.evidence;

import dev.slipway.controller.reconcile.Labels;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Writes a pass's entries to the records of the revision attempts they belong to. */
public final class EvidenceRecorder implements Evidence {
  private final RecordStore store;
  private final KubernetesClient client;
  private final FaultPoints faults;
  private final String identity;

  public EvidenceRecorder(RecordStore store, KubernetesClient client, FaultPoints faults, String identity) {
    this.store = store;
    this.client = client;
    this.faults = faults;
    this.identity = identity;
  }

  @Override
  public void forget(String namespace, String rollout) {
    store.forget(namespace, rollout);
  }

  @Override
  public String head(String namespace, String rollout, String revision, int attempt) {
    return store.head(namespace, rollout, revision, attempt);
  }

  @Override
  public List<Targeted> beforeActions(PassContext pass) {
    Map<String, List<Map<String, Object>>> images = new LinkedHashMap<>();
    for (String revision : EvidenceDrafts.imageRevisions(pass)) {
      images.put(revision, images(pass.rollout().getMetadata().getNamespace(), revision));
    }
    List<Targeted> written = write(pass, EvidenceDrafts.before(pass.with(identity, images)));
    faults.reached("after-decision", written);
    return written;
  }

  @Override
  public void afterActions(PassContext pass, List<Targeted> decided, List<String> problems) {
    faults.reached("after-action", decided);
    Map<String, List<Map<String, Object>>> images = new LinkedHashMap<>();
    for (String revision : EvidenceDrafts.imageRevisionsAfter(decided)) {
      images.put(revision, images(pass.rollout().getMetadata().getNamespace(), revision));
    }
    write(pass, EvidenceDrafts.after(decided, problems, pass.now().toString(), images));
  }

  /** Writes each attempt's drafts; returns them under the keys they were recorded with. */
  private List<Targeted> write(PassContext pass, List<Targeted> drafts) {
    Map<String, List<Targeted>> byAttempt = drafts.stream().collect(Collectors.groupingBy(
        t -> t.revision() + "/" + t.attempt(), LinkedHashMap::new, Collectors.toList()));
    List<Targeted> out = new ArrayList<>();
    for (List<Targeted> group : byAttempt.values()) {
      Targeted first = group.get(0);
      List<String> keys = store.append(pass.rollout(), first.revision(), first.attempt(), group.stream().map(Targeted::draft).toList());
      for (int i = 0; i < group.size(); i++) {
        Targeted t = group.get(i);
        out.add(new Targeted(t.revision(), t.attempt(), t.draft().keyed(keys.get(i))));
      }
    }
    return out;
  }

  /** Image references and, where the kubelet reported them, digests of a revision's pods. */
  private List<Map<String, Object>> images(String namespace, String revision) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Pod p : client.pods().inNamespace(namespace).withLabel(Labels.POD_TEMPLATE_HASH, revision).list().getItems()) {
      if (p.getStatus() == null || p.getStatus().getContainerStatuses() == null) continue;
      p.getStatus().getContainerStatuses().forEach(cs -> {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("container", cs.getName());
        m.put("image", cs.getImage());
        m.put("imageID", cs.getImageID() == null || cs.getImageID().isBlank() ? null : cs.getImageID());
        if (!out.contains(m)) out.add(m);
      });
    }
    return out;
  }
}
