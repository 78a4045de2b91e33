package dev.slipway.controller.evidence;

import dev.slipway.api.v1alpha1.DsseEnvelope;
import dev.slipway.api.v1alpha1.RecordEntry;
import dev.slipway.api.v1alpha1.Rollout;
import dev.slipway.api.v1alpha1.RolloutRecord;
import dev.slipway.api.v1alpha1.RolloutRecordSpec;
import dev.slipway.controller.kube.Labels;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RolloutRecords in the Rollout's namespace, one chain per revision attempt, split into parts of
 * {@link #PART_SIZE} entries. Appends are idempotent by entry key and pinned to the resourceVersion
 * read, so a crash or a concurrent writer can neither lose nor duplicate an entry.
 */
public final class RecordStore {
  private static final Logger LOG = LoggerFactory.getLogger(RecordStore.class);
  public static final int PART_SIZE = 200;
  public static final String ROLLOUT_UID = "slipway.dev/rollout-uid";
  public static final String REVISION = "slipway.dev/revision";
  public static final String ATTEMPT = "slipway.dev/attempt";

  private final KubernetesClient client;
  private final EvidenceKeys keys;
  private final int keepAttempts;

  /**
   * Entries held in memory across attempts: 4 to 9 KiB each on the heap (CapacityBenchmark), so
   * some 16 MiB at most.
   */
  public static final int CACHED_ENTRIES = 2_000;

  private final RecentRecords known;

  public RecordStore(KubernetesClient client, EvidenceKeys keys, int keepAttempts) {
    this(client, keys, keepAttempts, CACHED_ENTRIES);
  }

  public RecordStore(
      KubernetesClient client, EvidenceKeys keys, int keepAttempts, int cachedEntries) {
    this.known = new RecentRecords(cachedEntries);
    this.client = client;
    this.keys = keys;
    this.keepAttempts = keepAttempts;
  }

  /** For reading only (the plugin, tests): it has no key, so it cannot append. */
  public static RecordStore reader(KubernetesClient client) {
    return new RecordStore(client, null, 0);
  }

  /** The Rollout was deleted: its attempts leave memory (their records stay in the cluster). */
  public void forget(String namespace, String rollout) {
    known.removeIf(a -> a.namespace().equals(namespace) && a.rollout().equals(rollout));
  }

  RecentRecords recentForTest() {
    return known;
  }

  /** How much of the ledger this store holds in memory: attempts and entries. */
  public int[] cached() {
    return new int[] {known.attempts(), known.entries()};
  }

  /** The newest attempt of a revision that has a record. */
  public Optional<Integer> latestAttempt(String namespace, String rollout, String revision) {
    return client
        .resources(RolloutRecord.class)
        .inNamespace(namespace)
        .withLabel(REVISION, revision)
        .list()
        .getItems()
        .stream()
        .filter(x -> rollout.equals(x.getSpec().rollout()))
        .map(x -> x.getSpec().attempt())
        .max(Comparator.naturalOrder());
  }

  public static String name(String rollout, String revision, int attempt, int part) {
    return rollout + "-" + revision + "-a" + attempt + "-p" + part;
  }

  /** Every part of one attempt, in order. */
  public List<RolloutRecord> parts(String namespace, String rollout, String revision, int attempt) {
    List<RolloutRecord> parts = new ArrayList<>();
    for (int p = 0; ; p++) {
      RolloutRecord r =
          client
              .resources(RolloutRecord.class)
              .inNamespace(namespace)
              .withName(name(rollout, revision, attempt, p))
              .get();
      if (r == null) return parts;
      parts.add(r);
    }
  }

  /**
   * All entries of one attempt, from what this store wrote or read last when it has it, else read
   * (and kept).
   */
  public List<RecordEntry> cachedEntries(
      String namespace, String rollout, String revision, int attempt) {
    var id = new RecentRecords.Attempt(namespace, rollout, revision, attempt);
    List<RolloutRecord> parts = known.get(id);
    if (parts == null) {
      parts = parts(namespace, rollout, revision, attempt);
      if (!parts.isEmpty()) known.put(id, parts);
    }
    return parts.stream().flatMap(x -> x.getSpec().entriesOrEmpty().stream()).toList();
  }

  /** All entries of one attempt, across parts. */
  public List<RecordEntry> entries(String namespace, String rollout, String revision, int attempt) {
    return parts(namespace, rollout, revision, attempt).stream()
        .flatMap(r -> r.getSpec().entriesOrEmpty().stream())
        .toList();
  }

  /**
   * Appends the drafts the attempt does not hold yet. Returns each draft's effective key, in order:
   * the key it was written under, or the key of the entry that already records it.
   */
  public List<String> append(Rollout r, String revision, int attempt, List<EntryDraft> drafts) {
    return append(r, revision, attempt, drafts, List.of(), false);
  }

  /**
   * As {@link #append(Rollout, String, int, List)}, with riders: entries (results an earlier pass
   * owes) written ahead of the drafts when at least one draft is new, or when forced; never alone
   * otherwise. Returns the drafts' effective keys only.
   */
  public List<String> append(
      Rollout r,
      String revision,
      int attempt,
      List<EntryDraft> drafts,
      List<EntryDraft> riders,
      boolean force) {
    if (drafts.isEmpty() && (riders.isEmpty() || !force)) return List.of();
    var id =
        new RecentRecords.Attempt(
            r.getMetadata().getNamespace(), r.getMetadata().getName(), revision, attempt);
    for (int tries = 0; ; tries++) {
      try {
        return tryAppend(r, revision, attempt, drafts, riders, force, id);
      } catch (KubernetesClientException e) {
        // Someone else wrote (409) or removed (404) the record: what we remembered is stale; read
        // it again.
        known.remove(id);
        if ((e.getCode() != 409 && e.getCode() != 404) || tries >= 5) throw e;
      }
    }
  }

  private List<String> tryAppend(
      Rollout r,
      String revision,
      int attempt,
      List<EntryDraft> drafts,
      List<EntryDraft> riders,
      boolean force,
      RecentRecords.Attempt id) {
    // Most passes re-derive entries already written; what this store wrote last answers them
    // without a read. Every write is pinned to a resourceVersion, so a stale memory fails (409),
    // never overwrites.
    List<RolloutRecord> parts = known.get(id);
    if (parts == null || (!drafts.isEmpty() && endsBeforeStatusHead(r, revision, attempt, parts))) {
      // Memory may be behind another replica's writes: only the cluster's copy can show a gap.
      parts = parts(r.getMetadata().getNamespace(), r.getMetadata().getName(), revision, attempt);
    }
    Set<String> have = new HashSet<>();
    Map<String, RecordEntry> lastOfKind = new LinkedHashMap<>();
    Map<String, Integer> countOfKind = new LinkedHashMap<>();
    RecordEntry last = null;
    for (RolloutRecord p : parts) {
      for (RecordEntry e : p.getSpec().entriesOrEmpty()) {
        have.add(e.key());
        lastOfKind.put(e.kind(), e);
        countOfKind.merge(e.kind(), 1, Integer::sum);
        last = e;
      }
    }
    Map<String, EntryDraft> fresh = new LinkedHashMap<>();
    List<String> effective = new ArrayList<>();
    for (EntryDraft d : drafts) {
      if (d.recordWhenChanged() != null) {
        Object value = d.data().get(d.recordWhenChanged());
        RecordEntry previous = lastOfKind.get(d.kind());
        if (previous != null
            && String.valueOf(previous.data().get(d.recordWhenChanged()))
                .equals(String.valueOf(value))) {
          effective.add(previous.key());
          continue;
        }
        int n = countOfKind.merge(d.kind(), 1, Integer::sum) - 1;
        d = d.keyed(d.key() + "/" + n + "/" + value);
        lastOfKind.put(
            d.kind(),
            new RecordEntry(null, d.key(), d.kind(), null, null, null, d.data(), null, null, null));
      }
      effective.add(d.key());
      if (!have.contains(d.key())) fresh.putIfAbsent(d.key(), d);
    }
    if (!fresh.isEmpty() || force) {
      Map<String, EntryDraft> withRiders = new LinkedHashMap<>();
      riders.stream()
          .filter(d -> !have.contains(d.key()))
          .forEach(d -> withRiders.putIfAbsent(d.key(), d));
      withRiders.putAll(fresh);
      fresh = withRiders;
    }
    if (fresh.isEmpty()) {
      known.put(id, parts);
      return effective;
    }
    EntryDraft gap =
        RecordGaps.missing(r, revision, attempt, last, fresh.values().iterator().next().at());
    if (gap != null && !have.contains(gap.key())) {
      Map<String, EntryDraft> withGap = new LinkedHashMap<>();
      withGap.put(gap.key(), gap);
      withGap.putAll(fresh);
      fresh = withGap;
      LOG.warn(
          "{}/{}: {}",
          r.getMetadata().getNamespace(),
          r.getMetadata().getName(),
          gap.data().get("message"));
      noticed
          .computeIfAbsent(
              r.getMetadata().getNamespace() + "/" + r.getMetadata().getName(),
              k -> new CopyOnWriteArrayList<>())
          .add(String.valueOf(gap.data().get("message")));
    }
    long seq = last == null ? 0 : last.seq() + 1;
    String prev = last == null ? Chain.GENESIS : last.hash();
    List<List<RolloutRecord>> prunable = List.of();
    List<EntryDraft> toSeal = new ArrayList<>(fresh.values());
    if (parts.isEmpty()) {
      // A new attempt opens with the head of the Rollout's previous attempt, and the heads of the
      // attempts retention is about to delete: a record deleted or cut short afterwards no longer
      // matches what a later record says it saw (LedgerVerifier), so evidence cannot shrink
      // unnoticed.
      List<AttemptHead> older =
          attempts(r).stream()
              .filter(a -> !(a.revision().equals(revision) && a.attempt() == attempt))
              .toList();
      prunable =
          older.stream().skip(Math.max(0, keepAttempts - 1)).map(AttemptHead::records).toList();
      Map<String, Object> chain = new LinkedHashMap<>();
      chain.put("previous", older.isEmpty() ? null : older.get(0).link());
      chain.put(
          "pruned",
          older.stream().skip(Math.max(0, keepAttempts - 1)).map(AttemptHead::link).toList());
      EntryDraft first = toSeal.get(0);
      Map<String, Object> data = new LinkedHashMap<>(first.data());
      data.put("chain", chain);
      toSeal.set(
          0,
          new EntryDraft(first.key(), first.kind(), first.phase(), first.step(), first.at(), data));
    }
    List<RecordEntry> sealed = new ArrayList<>();
    for (EntryDraft d : toSeal) {
      RecordEntry e = Chain.seal(d, seq++, prev, keys);
      sealed.add(e);
      prev = e.hash();
    }
    List<RecordEntry> attempted = new ArrayList<>();
    parts.forEach(p -> attempted.addAll(p.getSpec().entriesOrEmpty()));
    attempted.addAll(sealed);
    var attestation =
        Attestations.sign(
            new Attestations.Attempt(
                r.getMetadata().getNamespace(),
                r.getMetadata().getName(),
                r.getMetadata().getUid(),
                revision,
                attempt),
            attempted,
            keys);
    if (LOG.isDebugEnabled()) {
      LOG.debug(
          "{}/{}: record {}/a{} +{}",
          r.getMetadata().getNamespace(),
          r.getMetadata().getName(),
          revision,
          attempt,
          sealed.stream().map(RecordEntry::key).toList());
    }
    List<RolloutRecord> now = new ArrayList<>(parts);
    int written = 0;
    while (written < sealed.size()) {
      RolloutRecord tail = now.isEmpty() ? null : now.get(now.size() - 1);
      if (tail == null || tail.getSpec().entriesOrEmpty().size() >= PART_SIZE) {
        int part = tail == null ? 0 : tail.getSpec().part() + 1;
        int n = Math.min(PART_SIZE, sealed.size() - written);
        boolean lastPart = written + n == sealed.size();
        now.add(
            create(
                r,
                revision,
                attempt,
                part,
                sealed.subList(written, written + n),
                lastPart ? attestation : null));
        written += n;
      } else {
        int n =
            Math.min(PART_SIZE - tail.getSpec().entriesOrEmpty().size(), sealed.size() - written);
        List<RecordEntry> all = new ArrayList<>(tail.getSpec().entriesOrEmpty());
        all.addAll(sealed.subList(written, written + n));
        RolloutRecordSpec s = tail.getSpec();
        RolloutRecord next = Serialization.clone(tail);
        boolean lastPart = written + n == sealed.size();
        next.setSpec(
            new RolloutRecordSpec(
                s.rollout(),
                s.rolloutUid(),
                s.revision(),
                s.attempt(),
                s.part(),
                s.keyId(),
                all,
                lastPart ? attestation : s.attestation()));
        // update() sends the resourceVersion we read: a concurrent append makes this fail with 409,
        // never overwrite.
        now.set(now.size() - 1, client.resource(next).update());
        written += n;
      }
    }
    known.put(id, now);
    for (List<RolloutRecord> old : prunable) {
      delete(old);
    }
    return effective;
  }

  /** Gaps found since they were last taken, per Rollout (namespace/name): for an Event each. */
  private final Map<String, List<String>> noticed = new ConcurrentHashMap<>();

  /**
   * The gaps this store recorded for the Rollout since the last call (RecordMissing entries
   * written).
   */
  public List<String> takeGaps(String namespace, String rollout) {
    List<String> g = noticed.remove(namespace + "/" + rollout);
    return g == null ? List.of() : List.copyOf(g);
  }

  private static boolean endsBeforeStatusHead(
      Rollout r, String revision, int attempt, List<RolloutRecord> parts) {
    RecordEntry last = null;
    for (RolloutRecord p : parts) {
      List<RecordEntry> es = p.getSpec().entriesOrEmpty();
      if (!es.isEmpty()) last = es.get(es.size() - 1);
    }
    return RecordGaps.missing(r, revision, attempt, last, "") != null;
  }

  /** One earlier attempt of the Rollout: its records and its head entry. */
  record AttemptHead(String revision, int attempt, List<RolloutRecord> records, RecordEntry head) {
    Map<String, Object> link() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("revision", revision);
      m.put("attempt", attempt);
      m.put("seq", head.seq());
      m.put("hash", head.hash());
      return m;
    }
  }

  /** The Rollout's attempts that have records, newest head first. */
  List<AttemptHead> attempts(Rollout r) {
    List<RolloutRecord> all =
        client
            .resources(RolloutRecord.class)
            .inNamespace(r.getMetadata().getNamespace())
            .withLabel(ROLLOUT_UID, r.getMetadata().getUid())
            .list()
            .getItems();
    return group(all);
  }

  static List<AttemptHead> group(List<RolloutRecord> all) {
    Map<String, List<RolloutRecord>> byAttempt =
        all.stream()
            .sorted(Comparator.comparing(x -> x.getSpec().part()))
            .collect(
                Collectors.groupingBy(
                    x -> x.getSpec().revision() + "/" + x.getSpec().attempt(),
                    LinkedHashMap::new,
                    Collectors.toList()));
    List<AttemptHead> out = new ArrayList<>();
    for (List<RolloutRecord> g : byAttempt.values()) {
      RecordEntry head = null;
      for (RolloutRecord x : g) {
        List<RecordEntry> es = x.getSpec().entriesOrEmpty();
        if (!es.isEmpty()) head = es.get(es.size() - 1);
      }
      if (head != null) {
        out.add(
            new AttemptHead(g.get(0).getSpec().revision(), g.get(0).getSpec().attempt(), g, head));
      }
    }
    // Newest first: by the controller's own clock on the head entry, then by when the record was
    // made.
    out.sort(
        Comparator.comparing((AttemptHead a) -> Instant.parse(a.head().at()))
            .thenComparing(
                a -> String.valueOf(a.records().get(0).getMetadata().getCreationTimestamp()))
            .thenComparing(a -> a.records().get(0).getMetadata().getName())
            .reversed());
    return out;
  }

  /**
   * The head of an attempt this store wrote or read last, as REVISION/aATTEMPT#SEQ:HASH (the
   * Rollout's status.evidenceHead), or null when it holds none.
   */
  public String head(String namespace, String rollout, String revision, int attempt) {
    List<RolloutRecord> parts =
        known.get(new RecentRecords.Attempt(namespace, rollout, revision, attempt));
    if (parts == null || parts.isEmpty()) return null;
    List<RecordEntry> es = parts.get(parts.size() - 1).getSpec().entriesOrEmpty();
    if (es.isEmpty()) return null;
    RecordEntry h = es.get(es.size() - 1);
    return new EvidenceHead(revision, attempt, h.seq(), h.hash()).toString();
  }

  private RolloutRecord create(
      Rollout r,
      String revision,
      int attempt,
      int part,
      List<RecordEntry> entries,
      DsseEnvelope attestation) {
    RolloutRecord rec = new RolloutRecord();
    rec.setMetadata(
        new ObjectMetaBuilder()
            .withName(name(r.getMetadata().getName(), revision, attempt, part))
            .withNamespace(r.getMetadata().getNamespace())
            .addToLabels(ROLLOUT_UID, r.getMetadata().getUid())
            .addToLabels(Labels.ROLLOUT, labelValue(r.getMetadata().getName()))
            .addToLabels(REVISION, revision)
            .addToLabels(ATTEMPT, String.valueOf(attempt))
            .build());
    rec.setSpec(
        new RolloutRecordSpec(
            r.getMetadata().getName(),
            r.getMetadata().getUid(),
            revision,
            attempt,
            part,
            keys.keyId(),
            List.copyOf(entries),
            attestation));
    return client.resource(rec).create();
  }

  /**
   * Deletes an attempt's records (retention); the attempt that replaced them recorded their heads
   * first.
   */
  private void delete(List<RolloutRecord> records) {
    for (RolloutRecord x : records) {
      client.resource(x).delete();
      known.remove(
          new RecentRecords.Attempt(
              x.getMetadata().getNamespace(),
              x.getSpec().rollout(),
              x.getSpec().revision(),
              x.getSpec().attempt()));
    }
  }

  private static String labelValue(String name) {
    return name.length() <= 63 ? name : name.substring(0, 63);
  }
}
