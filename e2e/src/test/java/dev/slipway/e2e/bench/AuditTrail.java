package dev.slipway.e2e.bench;

import dev.slipway.e2e.cluster.AuditLog;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The API server's audit log of the controller's writes (LocalControlPlane#auditLog): each
 * successful write of a Rollout's status or record, and of a Lease with the holder it wrote, with
 * the replica that made it (the controller's user agent, slipway-controller/POD).
 */
final class AuditTrail {
  static final String AGENT = "slipway-controller/";

  /** A Rollout written by {@code replica} at {@code at} (its status, or one of its records). */
  record RolloutWrite(Instant at, String replica, String namespace, String rollout) {}

  /** A Lease written by {@code replica}, naming {@code holder} (null: freed). */
  record LeaseWrite(Instant at, String replica, String lease, String holder) {}

  final List<RolloutWrite> rollouts = new ArrayList<>();
  final List<LeaseWrite> leases = new ArrayList<>();

  static AuditTrail read(Path log) throws IOException {
    AuditTrail t = new AuditTrail();
    for (AuditLog.Entry e : AuditLog.read(log)) {
      if (e.code() >= 300 || !e.userAgent().startsWith(AGENT) || e.name() == null) continue;
      String replica = e.userAgent().substring(AGENT.length()).split("[ /]")[0];
      switch (e.resource()) {
        case "rollouts" -> {
          if ("status".equals(e.subresource()))
            t.rollouts.add(new RolloutWrite(e.at(), replica, e.namespace(), e.name()));
        }
        case "rolloutrecords" ->
            // Records are named ROLLOUT-REVISION-aN-pN; the benchmark's Rollouts have no '-'.
            t.rollouts.add(
                new RolloutWrite(
                    e.at(), replica, e.namespace(), e.name().substring(0, e.name().indexOf('-'))));
        case "leases" -> {
          String holder = e.request().path("spec").path("holderIdentity").asText("");
          t.leases.add(new LeaseWrite(e.at(), replica, e.name(), holder.isBlank() ? null : holder));
        }
        default -> {}
      }
    }
    return t;
  }
}
