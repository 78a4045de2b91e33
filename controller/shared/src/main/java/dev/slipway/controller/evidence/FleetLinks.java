package dev.slipway.controller.evidence;

import dev.slipway.api.v1alpha1.RecordEntry;
import java.security.PublicKey;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Checks a hub's record of a fleet release against its members' exports: every member record head
 * the hub linked (as a wave passed, or as the release halted) must still be in that member's
 * export, signed by the key the hub verified it with. A member record cut short or replaced after
 * its wave passed fails, naming the member, the Rollout and the entry. Pure.
 */
public final class FleetLinks {
  private FleetLinks() {}

  /** One member export: the cluster it was taken from, and the document. */
  public record MemberExport(String cluster, ExportDocument doc) {}

  public record Result(boolean ok, int links, String message) {}

  @SuppressWarnings("unchecked")
  public static Result check(List<RecordEntry> hub, List<MemberExport> members) {
    int links = 0;
    for (RecordEntry e : hub) {
      List<Object> ls =
          switch (e.kind()) {
            case "WavePassed" -> (List<Object>) e.data().getOrDefault("members", List.of());
            case "Halted" ->
                e.data().get("member") == null ? List.of() : List.of(e.data().get("member"));
            default -> List.of();
          };
      for (Object o : ls) {
        Map<String, Object> link = (Map<String, Object>) o;
        String problem = check(e, link, members);
        if (problem != null) return new Result(false, links, problem);
        links++;
      }
    }
    return new Result(true, links, links + " member record heads found in the members' exports");
  }

  private static String check(RecordEntry e, Map<String, Object> link, List<MemberExport> members) {
    String cluster = String.valueOf(link.get("cluster"));
    String where = cluster + ":" + link.get("namespace") + "/" + link.get("rollout");
    String what = "hub entry " + e.seq() + " (" + e.kind() + ") links " + where;
    EvidenceHead head = EvidenceHead.parse((String) link.get("head"));
    if (head == null) return what + " with no record head";
    MemberExport m =
        members.stream()
            .filter(
                x ->
                    x.cluster().equals(cluster)
                        && Objects.equals(x.doc().namespace(), link.get("namespace"))
                        && Objects.equals(x.doc().rollout(), link.get("rollout"))
                        && Objects.equals(x.doc().revision(), head.revision())
                        && Objects.equals(x.doc().attempt(), head.attempt()))
            .findFirst()
            .orElse(null);
    if (m == null) {
      return what + " at " + head + ", but no export of that attempt was given for " + cluster;
    }
    Object keyId = link.get("keyId");
    if (keyId != null && !keyId.equals(m.doc().keyId())) {
      return where
          + ": the export is signed by key "
          + m.doc().keyId()
          + ", not the member key the hub verified with ("
          + keyId
          + ")";
    }
    if (m.doc().publicKey() == null) return where + ": the export carries no public key";
    PublicKey key = EvidenceKeys.publicKey(m.doc().publicKey());
    if (keyId != null && !EvidenceKeys.keyId(key).equals(keyId)) {
      return where + ": the export's public key is not the key the hub verified with";
    }
    Verifier.Result v = Verifier.verify(m.doc().entries(), key);
    if (!v.ok()) return where + ": its export does not verify: " + v.message();
    List<RecordEntry> entries = m.doc().entries();
    if (entries.size() <= head.seq()) {
      return where
          + ": its record was cut short: the hub saw entry "
          + head.seq()
          + " ("
          + head
          + ") as "
          + e.kind()
          + ", the export holds "
          + entries.size()
          + " entries";
    }
    if (!head.hash().equals(entries.get((int) head.seq()).hash())) {
      return where + ": its entry " + head.seq() + " was replaced after the hub linked it";
    }
    return null;
  }
}
