package dev.slipway.controller.dora;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.slipway.api.v1alpha1.RecordEntry;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The four figures over a fixture of attempts, against a computation done by hand (in the
 * comments).
 */
class DoraTest {
  static final Instant SINCE = Instant.parse("2026-01-01T00:00:00Z");
  static final Instant UNTIL = Instant.parse("2026-01-08T00:00:00Z"); // 7 days

  static Attempt a(
      String ns, String rollout, String rev, String commit, String stable, String rolledBack) {
    return new Attempt(
        ns,
        rollout,
        rev,
        1,
        null,
        commit == null ? null : Instant.parse(commit),
        stable == null ? null : Instant.parse(stable),
        rolledBack == null ? null : Instant.parse(rolledBack));
  }

  static final List<Attempt> FIXTURE =
      List.of(
          a(
              "shop",
              "web",
              "v1",
              "2026-01-01T00:00:00Z",
              "2026-01-01T02:00:00Z",
              null), // lead 7200 s
          a("shop", "web", "v2", "2026-01-02T00:00:00Z", null, "2026-01-02T01:00:00Z"), // failure
          a(
              "shop",
              "web",
              "v3",
              "2026-01-02T02:00:00Z",
              "2026-01-02T05:00:00Z",
              null), // lead 10800 s; restores v2 after 14400 s
          a("shop", "web", "v4", null, "2026-01-03T00:00:00Z", null), // deployed, no commit time
          a(
              "shop",
              "api",
              "b1",
              "2026-01-01T10:00:00Z",
              "2026-01-01T10:30:00Z",
              null), // lead 1800 s
          a(
              "shop",
              "api",
              "b2",
              "2026-01-03T00:00:00Z",
              null,
              "2026-01-04T00:00:00Z"), // failure, never restored
          a(
              "pay",
              "gw",
              "c0",
              "2025-11-30T00:00:00Z",
              "2025-12-01T00:00:00Z",
              null), // before the range
          a(
              "pay",
              "gw",
              "c1",
              "2026-01-04T23:00:00Z",
              "2026-01-05T00:00:00Z",
              null)); // lead 3600 s

  static Dora.Row row(List<Dora.Row> rows, String ns, String rollout) {
    return rows.stream()
        .filter(r -> r.namespace().equals(ns) && r.rollout().equals(rollout))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void perRolloutAndPerNamespaceAsComputedByHand() {
    Dora.Report r = Dora.compute(FIXTURE, SINCE, UNTIL);
    Dora.Row web = row(r.rollouts(), "shop", "web");
    assertEquals(new Dora.Row("shop", "web", 3, 3 / 7.0, 9000.0, 2, 1, 0.25, 14400.0, 1, 0), web);
    Dora.Row api = row(r.rollouts(), "shop", "api");
    assertEquals(new Dora.Row("shop", "api", 1, 1 / 7.0, 1800.0, 1, 1, 0.5, null, 0, 1), api);
    Dora.Row gw = row(r.rollouts(), "pay", "gw");
    assertEquals(new Dora.Row("pay", "gw", 1, 1 / 7.0, 3600.0, 1, 0, 0.0, null, 0, 0), gw);

    // shop: 4 deployments; leads 7200, 10800, 1800 -> median 7200; 2 failures of 6 changes; one
    // restored.
    assertEquals(
        new Dora.Row("shop", Dora.ALL, 4, 4 / 7.0, 7200.0, 3, 2, 2 / 6.0, 14400.0, 1, 1),
        row(r.namespaces(), "shop", Dora.ALL));
    assertEquals(
        new Dora.Row("pay", Dora.ALL, 1, 1 / 7.0, 3600.0, 1, 0, 0.0, null, 0, 0),
        row(r.namespaces(), "pay", Dora.ALL));
  }

  @Test
  void nothingInRangeHasNoRatesToReport() {
    Dora.Row gw = row(Dora.compute(FIXTURE.subList(6, 7), SINCE, UNTIL).rollouts(), "pay", "gw");
    assertEquals(0, gw.deployments());
    assertNull(gw.changeFailureRate(), "no changes: no rate, not 0%");
    assertNull(gw.leadTimeMedianSeconds());
  }

  static RecordEntry entry(String kind, String at, Map<String, Object> data) {
    return new RecordEntry(0L, kind, kind, at, "decision", null, data, null, null, null);
  }

  @Test
  void anAttemptIsReadFromItsEntries() {
    Map<String, Object> opened = new LinkedHashMap<>();
    opened.put(
        "provenance",
        Map.of(Attempt.COMMIT_TIME, "2026-01-01T00:00:00Z", "slipway.dev/commit", "abc123"));
    List<RecordEntry> entries =
        List.of(
            entry("RecordOpened", "2026-01-01T01:00:00Z", opened),
            entry("Transition", "2026-01-01T01:00:00Z", Map.of("to", "Pending")),
            entry("WeightVerified", "2026-01-01T01:05:00Z", Map.of("canaryWeight", 20)),
            entry("Transition", "2026-01-01T01:30:00Z", Map.of("from", "Canary", "to", "Promoted")),
            entry(
                "Transition", "2026-01-01T01:31:00Z", Map.of("from", "Promoted", "to", "Stable")));
    Attempt a = Attempt.of("shop", "web", "h1", 1, entries);
    assertEquals(
        new Attempt(
            "shop",
            "web",
            "h1",
            1,
            Instant.parse("2026-01-01T01:00:00Z"),
            Instant.parse("2026-01-01T00:00:00Z"),
            Instant.parse("2026-01-01T01:31:00Z"),
            null),
        a);
    Attempt bad =
        Attempt.of(
            "shop",
            "web",
            "h2",
            1,
            List.of(
                entry(
                    "RecordOpened",
                    "2026-01-02T00:00:00Z",
                    Map.of("provenance", Map.of(Attempt.COMMIT_TIME, "yesterday"))),
                entry("Transition", "2026-01-02T00:10:00Z", Map.of("to", "RolledBack"))));
    assertNull(bad.commitTime(), "a malformed commit time is left out, not a failure");
    assertEquals(Instant.parse("2026-01-02T00:10:00Z"), bad.rolledBackAt());
  }

  @Test
  void medianOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
    assertEquals(2.5, Dora.median(List.of(4.0, 1.0, 3.0, 2.0)));
  }
}
