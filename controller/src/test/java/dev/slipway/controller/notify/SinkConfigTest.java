package dev.slipway.controller.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The sinks ConfigMap: good sinks work, each bad one is named with what is wrong. */
class SinkConfigTest {
  @Test
  void parsesSinksAndNamesEachProblem() {
    SinkConfig.Parsed p =
        SinkConfig.parse(
            """
        - name: audit
          type: cloudevents
          url: http://127.0.0.1:9000/events
          on: [transition, verdict]
        - name: team
          type: slack
          urlFrom: {secret: team-webhook, key: url}
          authorizationFrom: {secret: team-webhook, key: token}
        - name: both
          type: slack
          url: http://x
          urlFrom: {secret: s, key: k}
        - name: carrier
          type: pigeon
          url: http://x
        - name: odd
          type: cloudevents
          url: ftp://x
        - name: noisy
          type: cloudevents
          url: http://x
          on: [everything]
        - type: slack
        """);
    assertEquals(List.of("audit", "team"), List.copyOf(p.sinks().keySet()));
    assertTrue(p.sinks().get("audit").wants("verdict"));
    assertTrue(!p.sinks().get("audit").wants("manual"));
    assertTrue(p.sinks().get("team").wants("manual"), "no list means every category");
    assertEquals(new Sink.SecretRef("team-webhook", "url"), p.sinks().get("team").urlFrom());
    assertEquals(
        List.of(
            "sink both: set exactly one of url and urlFrom",
            "sink carrier: type must be cloudevents or slack, not pigeon",
            "sink odd: url must be http:// or https://",
            "sink noisy: unknown categories [everything] (transition, verdict, manual)",
            "sink 6: name is required"),
        p.problems());
  }

  @Test
  void notAListOrNotYamlIsOneProblem() {
    assertEquals(
        List.of("sinks.yaml must be a list of sinks"), SinkConfig.parse("audit: {}").problems());
    assertTrue(SinkConfig.parse("- [").problems().get(0).startsWith("sinks.yaml is not YAML"));
    assertTrue(SinkConfig.parse(null).sinks().isEmpty());
  }

  @Test
  void theAnnotationNamesSinks() {
    assertEquals(
        List.of("audit", "team"),
        SinkConfig.optedIn(Map.of(SinkConfig.ANNOTATION, " audit, team ,,audit")));
    assertEquals(List.of(), SinkConfig.optedIn(Map.of()));
    assertEquals(List.of(), SinkConfig.optedIn(null));
  }
}
