package dev.slipway.controller.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slipway.api.v1alpha1.RecordEntry;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Which entries become notifications, what they carry, and which deliveries a record already holds.
 */
class NotificationEventsTest {
  static RecordEntry entry(
      long seq, String key, String kind, Integer step, Map<String, Object> data) {
    return new RecordEntry(
        seq,
        key,
        kind,
        "2026-01-01T00:00:0" + seq + "Z",
        "decision",
        step,
        new LinkedHashMap<>(data),
        "p" + seq,
        "hash" + seq,
        "sig",
        RecordEntry.JCS);
  }

  static final List<RecordEntry> ENTRIES =
      List.of(
          entry(0, "opened", "RecordOpened", null, Map.of()),
          entry(
              1,
              "transition/Canary",
              "Transition",
              0,
              Map.of("from", "Pending", "to", "Canary", "reason", "StepStarted")),
          entry(2, "weight/1/20", "WeightSet", 0, Map.of("canaryWeight", 20)),
          entry(
              3,
              "verdict/0",
              "AnalysisVerdict",
              0,
              Map.of("analysis", 0, "verdict", "Failed", "reason", "error rate 0.2 > 0.05")),
          entry(
              4,
              "manual/x/Abort",
              "ManualAction",
              0,
              Map.of("action", "Abort", "fieldManager", "kubectl-slipway", "result", "aborted")),
          entry(
              5,
              "notify/audit/hash1",
              "NotificationDelivered",
              null,
              Map.of("sink", "audit", "eventId", "hash1")),
          entry(
              6,
              "notify/team/hash3",
              "NotificationFailed",
              null,
              Map.of("sink", "team", "eventId", "hash3")));

  @Test
  void transitionsVerdictsAndManualActionsAreNotifications() {
    List<NotificationEvent> events = NotificationEvents.of("shop", "web", "abc123", 2, ENTRIES);
    assertEquals(
        List.of("hash1", "hash3", "hash4"),
        events.stream().map(NotificationEvent::id).toList(),
        "the entry's hash is the event id");
    assertEquals(
        List.of("transition", "verdict", "manual"),
        events.stream().map(NotificationEvent::category).toList());
    NotificationEvent t = events.get(0);
    assertEquals("dev.slipway.rollout.transition.v1", t.type());
    assertEquals("/namespaces/shop/rollouts/web", t.source());
    assertEquals("abc123", t.subject());
    assertEquals(1, t.data().get("step"), "steps are counted from 1 for people");
    assertEquals("shop/web abc123: Pending -> Canary (StepStarted)", t.text());
    assertEquals("shop/web abc123: analysis 0 Failed: error rate 0.2 > 0.05", events.get(1).text());
    assertEquals("shop/web abc123: Abort by kubectl-slipway: aborted", events.get(2).text());
  }

  @Test
  void deliveredAndAbandonedAreBothDone() {
    assertEquals(Set.of("audit|hash1", "team|hash3"), NotificationEvents.delivered(ENTRIES));
  }

  @Test
  void aCloudEventIsStructuredJsonAndSlackGetsText() throws Exception {
    NotificationEvent e = NotificationEvents.of("shop", "web", "abc123", 1, ENTRIES).get(0);
    JsonNode ce = new ObjectMapper().readTree(WebhookTransport.body(Sink.Kind.cloudevents, e));
    assertEquals("1.0", ce.get("specversion").asText());
    assertEquals("hash1", ce.get("id").asText());
    assertEquals("Canary", ce.at("/data/entry/to").asText());
    assertEquals("hash1", ce.at("/data/evidence/hash").asText());
    JsonNode slack = new ObjectMapper().readTree(WebhookTransport.body(Sink.Kind.slack, e));
    assertEquals(1, slack.size());
    assertEquals(e.text(), slack.get("text").asText());
  }

  @Test
  void backOffDoublesUpToAMinute() {
    assertEquals(Duration.ofSeconds(1), Notifier.backoff(Duration.ofSeconds(1), 1));
    assertEquals(Duration.ofSeconds(8), Notifier.backoff(Duration.ofSeconds(1), 4));
    assertEquals(Duration.ofSeconds(60), Notifier.backoff(Duration.ofSeconds(1), 30));
  }
}
