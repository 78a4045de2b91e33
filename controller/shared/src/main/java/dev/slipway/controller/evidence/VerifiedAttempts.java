package dev.slipway.controller.evidence;

import dev.slipway.api.v1alpha1.RecordEntry;
import dev.slipway.api.v1alpha1.RolloutRecord;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Revision attempts read from RolloutRecords, verified before anything is computed from them: each
 * attempt's parts in order, its chain recomputed and every signature checked against the trusted
 * key. One that does not verify is left out and named, so no report rests on evidence that may have
 * been changed.
 */
public final class VerifiedAttempts {
  private VerifiedAttempts() {}

  public record Verified(
      String namespace, String rollout, String revision, int attempt, List<RecordEntry> entries) {}

  public record Read(List<Verified> attempts, List<String> excluded) {}

  public static Read read(List<RolloutRecord> records, PublicKey key) {
    Map<String, List<RolloutRecord>> byAttempt = new TreeMap<>();
    for (RolloutRecord r : records) {
      var s = r.getSpec();
      if (s == null || s.rollout() == null || s.revision() == null || s.attempt() == null) continue;
      byAttempt
          .computeIfAbsent(
              r.getMetadata().getNamespace()
                  + "/"
                  + s.rollout()
                  + "/"
                  + s.revision()
                  + "/"
                  + s.attempt(),
              k -> new ArrayList<>())
          .add(r);
    }
    List<Verified> attempts = new ArrayList<>();
    List<String> excluded = new ArrayList<>();
    byAttempt.forEach(
        (id, parts) -> {
          parts.sort(
              Comparator.comparing(p -> p.getSpec().part() == null ? 0 : p.getSpec().part()));
          List<RecordEntry> entries =
              parts.stream().flatMap(p -> p.getSpec().entriesOrEmpty().stream()).toList();
          Verifier.Result v = Verifier.verify(entries, key);
          if (!v.ok()) {
            excluded.add(id + ": " + v.message());
            return;
          }
          var s = parts.get(0).getSpec();
          attempts.add(
              new Verified(
                  parts.get(0).getMetadata().getNamespace(),
                  s.rollout(),
                  s.revision(),
                  s.attempt(),
                  entries));
        });
    return new Read(attempts, excluded);
  }
}
