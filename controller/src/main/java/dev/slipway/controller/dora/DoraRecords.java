package dev.slipway.controller.dora;

import dev.slipway.api.v1alpha1.RolloutRecord;
import dev.slipway.controller.evidence.VerifiedAttempts;
import java.security.PublicKey;
import java.util.List;

/** DORA's attempts from RolloutRecords that verify; the rest are left out and named. */
public final class DoraRecords {
  private DoraRecords() {}

  public record Read(List<Attempt> attempts, List<String> excluded) {}

  public static Read read(List<RolloutRecord> records, PublicKey key) {
    VerifiedAttempts.Read v = VerifiedAttempts.read(records, key);
    return new Read(v.attempts().stream().map(a -> Attempt.of(a.namespace(), a.rollout(), a.revision(), a.attempt(), a.entries())).toList(),
        v.excluded());
  }
}
