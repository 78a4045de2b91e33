package dev.slipway.controller.evidence;

import dev.slipway.api.v1alpha1.RecordEntry;
import dev.slipway.api.v1alpha1.Rollout;
import dev.slipway.controller.kube.Labels;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/** Writes a pass's entries to the records of the revision attempts they belong to. */
public final class EvidenceRecorder implements Evidence {
  private final RecordStore store;
  private final KubernetesClient client;
  private final FaultPoints faults;
  private final String identity;

  /**
   * Per Rollout (namespace/name): the results its record still owes, and when they must be written
   * even alone.
   */
  private record Owing(Set<String> results, Instant due) {}

  private final Map<String, Owing> owing = new ConcurrentHashMap<>();

  public EvidenceRecorder(
      RecordStore store, KubernetesClient client, FaultPoints faults, String identity) {
    this.store = store;
    this.client = client;
    this.faults = faults;
    this.identity = identity;
  }

  @Override
  public void forget(String namespace, String rollout) {
    owing.remove(namespace + "/" + rollout);
    store.forget(namespace, rollout);
  }

  @Override
  public List<Notice> takeNotices(String namespace, String rollout) {
    List<Notice> out = new ArrayList<>();
    store.takeGaps(namespace, rollout).forEach(g -> out.add(new Notice(RecordGaps.KIND, g)));
    List<Notice> mine = notices.remove(namespace + "/" + rollout);
    if (mine != null) out.addAll(mine);
    return out;
  }

  private final Map<String, List<Notice>> notices = new ConcurrentHashMap<>();

  @Override
  public String head(String namespace, String rollout, String revision, int attempt) {
    return store.head(namespace, rollout, revision, attempt);
  }

  @Override
  public List<Targeted> beforeActions(PassContext pass) {
    Map<String, List<Map<String, Object>>> images = new LinkedHashMap<>();
    for (String revision : EvidenceDrafts.imageRevisions(pass)) {
      images.put(revision, images(pass.rollout(), revision));
    }
    List<Targeted> drafts = new ArrayList<>(EvidenceDrafts.before(pass.with(identity, images)));
    Targeted edited = stepsEdited(pass);
    if (edited != null) drafts.add(edited);
    List<Targeted> owed = owed(pass);
    // Owed results ride with this pass's new entries; alone, only once the revision has settled or
    // they have waited long enough (an indefinite pause must not keep them out of the record).
    boolean force =
        settled(pass) || (!owed.isEmpty() && !pass.now().isBefore(OwedResults.due(owed)));
    List<Targeted> written = write(pass, drafts, owed, force);
    Set<String> still =
        owed.stream()
            .filter(t -> !recorded(pass, t))
            .map(t -> t.draft().key())
            .collect(Collectors.toSet());
    if (still.isEmpty()) {
      owing.remove(who(pass));
    } else {
      owing.put(who(pass), new Owing(still, OwedResults.due(owed)));
    }
    faults.reached("after-decision", written);
    return written;
  }

  @Override
  public List<Targeted> afterActions(
      PassContext pass, List<Targeted> decided, List<String> problems) {
    faults.reached("after-action", decided);
    List<Targeted> results = EvidenceDrafts.after(decided, problems, pass.now().toString());
    // Deferred only while a revision is in flight: its next pass is near. A settled Rollout may see
    // no pass for days. Someone else's change put back (drift) is recorded as corrected at once.
    boolean news =
        !problems.isEmpty()
            || !EvidenceDrafts.imageRevisionsAfter(decided).isEmpty()
            || settled(pass)
            || decided.stream().anyMatch(t -> "Drift".equals(t.draft().kind()))
            || replayed(pass, results);
    if (!news) {
      return results;
    }
    Map<String, List<Map<String, Object>>> images = new LinkedHashMap<>();
    for (String revision : EvidenceDrafts.imageRevisionsAfter(decided)) {
      images.put(revision, images(pass.rollout(), revision));
    }
    write(pass, EvidenceDrafts.after(decided, problems, pass.now().toString(), images));
    return List.of();
  }

  /**
   * Whether a result belongs to a decision an earlier, unconfirmed pass recorded (this one,
   * replayed after a crash, matched it by key): the status head confirms only the batch of its own
   * time.
   */
  private boolean replayed(PassContext pass, List<Targeted> results) {
    String now = pass.now().toString();
    var r = pass.rollout().getMetadata();
    // The confirmed batch's decisions come back every pass (a weight is asked for again and
    // matched to its entry); their results are owed already and ride with the next new entries.
    Owing owed = owing.get(who(pass));
    for (Targeted t : results) {
      if ((owed != null && owed.results().contains(t.draft().key())) || recorded(pass, t)) continue;
      String decision = t.draft().key().substring(0, t.draft().key().length() - "/result".length());
      for (var e : store.cachedEntries(r.getNamespace(), r.getName(), t.revision(), t.attempt())) {
        if (e.key().equals(decision) && !now.equals(e.at())) return true;
      }
    }
    return false;
  }

  /** Whether the attempt's record (as this store holds it) has an entry under the draft's key. */
  private boolean recorded(PassContext pass, Targeted t) {
    var r = pass.rollout().getMetadata();
    return store.cachedEntries(r.getNamespace(), r.getName(), t.revision(), t.attempt()).stream()
        .anyMatch(e -> e.key().equals(t.draft().key()));
  }

  /**
   * Steps edited while a canary is in flight (a new generation, the same template): a StepsChanged
   * entry with the steps before and after and the step the walk continues at, once per change. The
   * steps before are the record's own: its opening entry's, or the last change's.
   */
  private Targeted stepsEdited(PassContext pass) {
    var st = pass.decision().status();
    if (st.canaryRevision() == null
        || pass.before() == null
        || !st.canaryRevision().equals(pass.before().canaryRevision())) return null;
    var r = pass.rollout();
    int attempt = st.attempt() == null ? 1 : st.attempt();
    List<String> now = EvidenceDrafts.stepNames(r);
    Object was = null;
    for (var e :
        store.cachedEntries(
            r.getMetadata().getNamespace(),
            r.getMetadata().getName(),
            st.canaryRevision(),
            attempt)) {
      if (("RecordOpened".equals(e.kind()) || StepsChanged.KIND.equals(e.kind()))
          && e.data() != null
          && e.data().get("steps") != null) {
        was = e.data().get("steps");
      }
    }
    if (was == null || String.valueOf(was).equals(String.valueOf(now))) return null;
    Targeted t = StepsChanged.draft(r, st, was, now, pass.now().toString());
    notices
        .computeIfAbsent(who(pass), k -> new CopyOnWriteArrayList<>())
        .add(new Notice(StepsChanged.KIND, String.valueOf(t.draft().data().get("message"))));
    return t;
  }

  /** No revision in flight: no next pass is near to carry owed results. */
  private static boolean settled(PassContext pass) {
    return pass.decision().status().canaryRevision() == null;
  }

  private static String who(PassContext pass) {
    return pass.rollout().getMetadata().getNamespace()
        + "/"
        + pass.rollout().getMetadata().getName();
  }

  @Override
  public List<RecordEntry> entries(String namespace, String rollout, String revision, int attempt) {
    return store.cachedEntries(namespace, rollout, revision, attempt);
  }

  @Override
  public void record(PassContext pass, List<Targeted> entries) {
    write(pass, entries);
  }

  @Override
  public Instant owedDue(String namespace, String rollout) {
    Owing o = owing.get(namespace + "/" + rollout);
    return o == null ? null : o.due();
  }

  /**
   * The results the record owes for the batch that the pass's starting status confirms: the entries
   * written with the head that status names (they share the pass's time). A batch an earlier,
   * interrupted pass wrote is not confirmed by a later head: its actions may not all have run.
   */
  private List<Targeted> owed(PassContext pass) {
    var before = pass.before();
    // A status without a revision in flight was written by a settled pass, which wrote its results
    // at once (afterActions): nothing can be owed, and a restarted controller reads no record for
    // each of its settled Rollouts to learn that.
    if (before == null || before.evidenceHead() == null || before.canaryRevision() == null)
      return List.of();
    EvidenceHead head = EvidenceHead.parse(before.evidenceHead());
    if (head == null) return List.of();
    var r = pass.rollout();
    return OwedResults.of(
        store.cachedEntries(
            r.getMetadata().getNamespace(),
            r.getMetadata().getName(),
            head.revision(),
            head.attempt()),
        head.seq(),
        head.revision(),
        head.attempt());
  }

  /** Writes each attempt's drafts; returns them under the keys they were recorded with. */
  private List<Targeted> write(PassContext pass, List<Targeted> drafts) {
    return write(pass, drafts, List.of(), false);
  }

  /**
   * Writes each attempt's drafts, with the riders of that attempt ahead of them when the drafts
   * hold anything new (or when forced); riders of an attempt without drafts here (a new revision
   * began) are written on their own. Returns the drafts under the keys they were recorded with.
   */
  private List<Targeted> write(
      PassContext pass, List<Targeted> drafts, List<Targeted> riders, boolean force) {
    Map<String, List<Targeted>> byAttempt =
        drafts.stream()
            .collect(
                Collectors.groupingBy(
                    t -> t.revision() + "/" + t.attempt(),
                    LinkedHashMap::new,
                    Collectors.toList()));
    Map<String, List<Targeted>> ridersByAttempt =
        riders.stream()
            .collect(
                Collectors.groupingBy(
                    t -> t.revision() + "/" + t.attempt(),
                    LinkedHashMap::new,
                    Collectors.toList()));
    List<Targeted> out = new ArrayList<>();
    var st = pass.decision().status();
    String current =
        (st.canaryRevision() != null ? st.canaryRevision() : st.stableRevision())
            + "/"
            + (st.attempt() == null ? 1 : st.attempt());
    for (Map.Entry<String, List<Targeted>> alone : ridersByAttempt.entrySet()) {
      // An attempt this pass left (a new revision began) gets its results now: nothing later rides
      // there.
      if (byAttempt.containsKey(alone.getKey()) || (alone.getKey().equals(current) && !force))
        continue;
      Targeted first = alone.getValue().get(0);
      store.append(
          pass.rollout(),
          first.revision(),
          first.attempt(),
          List.of(),
          alone.getValue().stream().map(Targeted::draft).toList(),
          true);
    }
    for (List<Targeted> group : byAttempt.values()) {
      Targeted first = group.get(0);
      List<EntryDraft> ride =
          ridersByAttempt.getOrDefault(first.revision() + "/" + first.attempt(), List.of()).stream()
              .map(Targeted::draft)
              .toList();
      List<String> keys =
          store.append(
              pass.rollout(),
              first.revision(),
              first.attempt(),
              group.stream().map(Targeted::draft).toList(),
              ride,
              force);
      for (int i = 0; i < group.size(); i++) {
        Targeted t = group.get(i);
        out.add(new Targeted(t.revision(), t.attempt(), t.draft().keyed(keys.get(i))));
      }
    }
    return out;
  }

  /**
   * Image references and, where the kubelet reported them, digests of a revision's pods (found by
   * the label that names this Rollout's revisions: a StatefulSet's are its ControllerRevisions).
   */
  private List<Map<String, Object>> images(Rollout rollout, String revision) {
    List<Map<String, Object>> out = new ArrayList<>();
    List<Pod> pods =
        client
            .pods()
            .inNamespace(rollout.getMetadata().getNamespace())
            .withLabel(Labels.revision(rollout), revision)
            .list()
            .getItems();
    for (Pod p : pods) {
      if (p.getStatus() == null || p.getStatus().getContainerStatuses() == null) continue;
      p.getStatus()
          .getContainerStatuses()
          .forEach(
              cs -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("container", cs.getName());
                m.put("image", cs.getImage());
                m.put(
                    "imageID",
                    cs.getImageID() == null || cs.getImageID().isBlank() ? null : cs.getImageID());
                if (!out.contains(m)) out.add(m);
              });
    }
    return out;
  }
}
