package dev.slipway.e2e.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
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
  private static final ObjectMapper JSON = new ObjectMapper();
  static final String AGENT = "slipway-controller/";

  /** A Rollout written by {@code replica} at {@code at} (its status, or one of its records). */
  record RolloutWrite(Instant at, String replica, String namespace, String rollout) {}

  /** A Lease written by {@code replica}, naming {@code holder} (null: freed). */
  record LeaseWrite(Instant at, String replica, String lease, String holder) {}

  final List<RolloutWrite> rollouts = new ArrayList<>();
  final List<LeaseWrite> leases = new ArrayList<>();

  static AuditTrail read(Path log) throws IOException {
    AuditTrail t = new AuditTrail();
    for (String line : Files.readAllLines(log)) {
      JsonNode e = JSON.readTree(line);
      if (!"ResponseComplete".equals(e.path("stage").asText())) continue;
      int code = e.path("responseStatus").path("code").asInt(0);
      String agent = e.path("userAgent").asText("");
      if (code >= 300 || !agent.startsWith(AGENT)) continue;
      String replica = agent.substring(AGENT.length()).split("[ /]")[0];
      Instant at = Instant.parse(e.path("stageTimestamp").asText());
      JsonNode ref = e.path("objectRef");
      String resource = ref.path("resource").asText();
      String name = ref.path("name").asText(null);
      if (name == null) name = e.path("requestObject").path("metadata").path("name").asText(null);
      if (name == null) continue;
      switch (resource) {
        case "rollouts" -> {
          if ("status".equals(ref.path("subresource").asText()))
            t.rollouts.add(new RolloutWrite(at, replica, ref.path("namespace").asText(), name));
        }
        case "rolloutrecords" ->
            // Records are named ROLLOUT-REVISION-aN-pN; the benchmark's Rollouts have no '-'.
            t.rollouts.add(
                new RolloutWrite(
                    at,
                    replica,
                    ref.path("namespace").asText(),
                    name.substring(0, name.indexOf('-'))));
        case "leases" -> {
          String holder = e.path("requestObject").path("spec").path("holderIdentity").asText("");
          t.leases.add(new LeaseWrite(at, replica, name, holder.isBlank() ? null : holder));
        }
        default -> {}
      }
    }
    t.rollouts.sort(java.util.Comparator.comparing(RolloutWrite::at));
    t.leases.sort(java.util.Comparator.comparing(LeaseWrite::at));
    return t;
  }
}
