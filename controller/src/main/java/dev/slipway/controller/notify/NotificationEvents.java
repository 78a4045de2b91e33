package dev.slipway.controller.notify;

import dev.slipway.api.v1alpha1.RecordEntry;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Which entries of a revision attempt's record are notifications, and what each says. Pure. */
public final class NotificationEvents {
  /** The entry kind that records a delivery, in the same record as the entry it delivered. */
  public static final String DELIVERED = "NotificationDelivered";

  /** The entry kind that records a delivery abandoned after retrying for the configured time. */
  public static final String FAILED = "NotificationFailed";

  private NotificationEvents() {}

  public static List<NotificationEvent> of(
      String namespace, String rollout, String revision, int attempt, List<RecordEntry> entries) {
    List<NotificationEvent> out = new ArrayList<>();
    for (RecordEntry e : entries) {
      String category =
          switch (e.kind()) {
            case "Transition" -> NotificationEvent.TRANSITION;
            case "AnalysisVerdict" -> NotificationEvent.VERDICT;
            case "ManualAction" -> NotificationEvent.MANUAL;
            default -> null;
          };
      if (category == null || e.hash() == null) continue;
      Map<String, Object> data = new LinkedHashMap<>();
      data.put("namespace", namespace);
      data.put("rollout", rollout);
      data.put("revision", revision);
      data.put("attempt", attempt);
      data.put("step", e.step() == null ? null : e.step() + 1);
      data.put("kind", e.kind());
      data.put("entry", e.data());
      data.put("evidence", Map.of("key", e.key(), "seq", e.seq(), "hash", e.hash()));
      out.add(
          new NotificationEvent(
              e.hash(),
              category,
              "dev.slipway.rollout." + category + ".v1",
              "/namespaces/" + namespace + "/rollouts/" + rollout,
              revision,
              e.at(),
              data,
              text(namespace, rollout, revision, e)));
    }
    return out;
  }

  /** "sink|eventId" of every delivery the record already holds, delivered or abandoned. */
  public static Set<String> delivered(List<RecordEntry> entries) {
    Set<String> out = new HashSet<>();
    for (RecordEntry e : entries) {
      if (!(DELIVERED.equals(e.kind()) || FAILED.equals(e.kind())) || e.data() == null) continue;
      out.add(e.data().get("sink") + "|" + e.data().get("eventId"));
    }
    return out;
  }

  static String text(String namespace, String rollout, String revision, RecordEntry e) {
    Map<String, Object> d = e.data() == null ? Map.of() : e.data();
    String who = namespace + "/" + rollout + " " + revision;
    return switch (e.kind()) {
      case "Transition" ->
          who
              + ": "
              + (d.get("from") == null ? "new" : d.get("from"))
              + " -> "
              + d.get("to")
              + " ("
              + d.get("reason")
              + ")"
              + (d.get("message") == null ? "" : ": " + d.get("message"));
      case "AnalysisVerdict" ->
          who
              + ": analysis "
              + d.get("analysis")
              + " "
              + d.get("verdict")
              + (d.get("reason") == null ? "" : ": " + d.get("reason"));
      case "ManualAction" ->
          who
              + ": "
              + d.get("action")
              + " by "
              + (d.get("requestedBy") != null
                  ? d.get("requestedBy")
                  : d.get("fieldManager") != null ? d.get("fieldManager") : "unknown")
              + ": "
              + d.get("result");
      default -> who + ": " + e.kind();
    };
  }
}
