package dev.slipway.controller.evidence;

import dev.slipway.api.v1alpha1.RolloutRecord;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The record parts the store last read or wrote, per attempt, least recently used first out.
 * Bounded by entries, not attempts: an attempt full of measurements weighs a hundred times a quiet
 * one, and a count of attempts would let a busy cluster hold hundreds of MiB. A miss costs one
 * read.
 */
final class RecentRecords {
  /** One revision attempt of one Rollout: what a record's parts belong to. */
  record Attempt(String namespace, String rollout, String revision, int attempt) {}

  private final int maxEntries;
  private final LinkedHashMap<Attempt, List<RolloutRecord>> parts =
      new LinkedHashMap<>(16, 0.75f, true);
  private int entries;

  RecentRecords(int maxEntries) {
    this.maxEntries = maxEntries;
  }

  synchronized List<RolloutRecord> get(Attempt id) {
    return parts.get(id);
  }

  synchronized void put(Attempt id, List<RolloutRecord> value) {
    entries -= weight(parts.put(id, value));
    entries += weight(value);
    Iterator<Map.Entry<Attempt, List<RolloutRecord>>> eldest = parts.entrySet().iterator();
    while (entries > maxEntries && eldest.hasNext()) {
      Map.Entry<Attempt, List<RolloutRecord>> e = eldest.next();
      if (e.getKey().equals(id)) continue;
      entries -= weight(e.getValue());
      eldest.remove();
    }
  }

  synchronized void remove(Attempt id) {
    entries -= weight(parts.remove(id));
  }

  synchronized void removeIf(Predicate<Attempt> id) {
    parts
        .entrySet()
        .removeIf(
            e -> {
              boolean drop = id.test(e.getKey());
              if (drop) entries -= weight(e.getValue());
              return drop;
            });
  }

  synchronized int entries() {
    return entries;
  }

  synchronized int attempts() {
    return parts.size();
  }

  private static int weight(List<RolloutRecord> value) {
    if (value == null) return 0;
    int n = 0;
    for (RolloutRecord r : value)
      n += r.getSpec() == null ? 0 : r.getSpec().entriesOrEmpty().size();
    return n;
  }
}
