package dev.slipway.controller.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.slipway.api.v1alpha1.RecordEntry;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A change row from an attempt's entries: author, approvers, analysis, outcome. */
class ChangeTest {
  static RecordEntry e(String kind, String at, Map<String, Object> data) {
    return new RecordEntry(0L, kind, kind, at, "decision", null, data, null, null, null);
  }

  static final List<RecordEntry> ENTRIES =
      List.of(
          e(
              "RecordOpened",
              "2026-01-01T01:00:00Z",
              Map.of(
                  "provenance",
                  Map.of(
                      "slipway.dev/commit",
                      "abc123",
                      "slipway.dev/author",
                      "alice@example.com",
                      "argocd.argoproj.io/tracking-id",
                      "shop:slipway.dev/Rollout:shop/web"))),
          e(
              "Transition",
              "2026-01-01T01:00:05Z",
              Map.of(
                  "to",
                  "Ready",
                  "images",
                  List.of(
                      Map.of(
                          "container",
                          "app",
                          "image",
                          "shop/web:2",
                          "imageID",
                          "shop/web@sha256:1111")))),
          e(
              "Measurement",
              "2026-01-01T01:01:00Z",
              Map.of("metric", "success-rate", "value", 1.0, "verdict", "Successful")),
          e(
              "Measurement",
              "2026-01-01T01:02:00Z",
              Map.of("metric", "latency-p99", "value", 0.1, "verdict", "Successful")),
          e(
              "ManualAction",
              "2026-01-01T01:03:00Z",
              Map.of(
                  "action",
                  "Promote",
                  "requestedBy",
                  "alice@example.com",
                  "result",
                  "refused: requireDistinctApprover: alice@example.com authored this change and cannot approve it")),
          e(
              "ManualAction",
              "2026-01-01T01:04:00Z",
              Map.of(
                  "action",
                  "Promote",
                  "requestedBy",
                  "bob@example.com",
                  "requestedByBound",
                  true,
                  "result",
                  "promoted one step; now at step 3/3")),
          e(
              "ManualAction",
              "2026-01-01T01:05:00Z",
              Map.of("action", "Pause", "requestedBy", "carol@example.com", "result", "paused")),
          e("Transition", "2026-01-01T01:10:00Z", Map.of("from", "Promoted", "to", "Stable")));

  @Test
  void theApproverIsWhoseRequestWentThroughNotWhoseWasRefused() {
    Change c = Change.of("shop", "web", "h1", 1, ENTRIES);
    assertEquals(
        new Change(
            "shop",
            "web",
            "h1",
            1,
            List.of("shop/web@sha256:1111"),
            "abc123",
            "alice@example.com",
            List.of("bob@example.com"),
            true,
            2,
            0,
            0,
            "2026-01-01T01:00:00Z",
            "2026-01-01T01:10:00Z",
            "Stable",
            "shop:slipway.dev/Rollout:shop/web"),
        c);
    assertEquals(
        "shop,web,h1,1,shop/web@sha256:1111,abc123,alice@example.com,bob@example.com,true,2,0,0,2026-01-01T01:00:00Z,"
            + "2026-01-01T01:10:00Z,Stable,shop:slipway.dev/Rollout:shop/web",
        c.csv());
  }

  /**
   * Issue 27: without the admission policy, anyone could have typed requestedBy: bob. Distinct is
   * not claimed.
   */
  @Test
  void anApproverNotBoundByAdmissionIsNeverClaimedDistinct() {
    List<RecordEntry> unbound =
        ENTRIES.stream()
            .map(
                x ->
                    "ManualAction".equals(x.kind())
                            && "bob@example.com".equals(x.data().get("requestedBy"))
                        ? e(
                            "ManualAction",
                            x.at(),
                            Map.of(
                                "action",
                                "Promote",
                                "requestedBy",
                                "bob@example.com",
                                "requestedByBound",
                                false,
                                "result",
                                "promoted one step; now at step 3/3"))
                        : x)
            .toList();
    Change c = Change.of("shop", "web", "h1", 1, unbound);
    assertEquals(List.of("bob@example.com"), c.approvers());
    assertEquals(null, c.approverDistinct(), "unknown, not true");
  }

  @Test
  void anAuthorApprovingTheirOwnChangeIsFlaggedAndAFormulaIsDefused() {
    Change c =
        Change.of(
            "shop",
            "web",
            "h2",
            1,
            List.of(
                e(
                    "RecordOpened",
                    "2026-01-02T00:00:00Z",
                    Map.of("provenance", Map.of("slipway.dev/author", "=HYPERLINK(\"x\")"))),
                e(
                    "ManualAction",
                    "2026-01-02T00:01:00Z",
                    Map.of(
                        "action",
                        "PromoteFull",
                        "requestedBy",
                        "=HYPERLINK(\"x\")",
                        "result",
                        "promoted fully")),
                e("Transition", "2026-01-02T00:02:00Z", Map.of("to", "RolledBack"))));
    assertEquals(false, c.approverDistinct());
    assertEquals("RolledBack", c.outcome());
    assertEquals(
        "shop,web,h2,1,,,\"'=HYPERLINK(\"\"x\"\")\",\"'=HYPERLINK(\"\"x\"\")\",false,0,0,0,2026-01-02T00:00:00Z,2026-01-02T00:02:00Z,"
            + "RolledBack,",
        c.csv());
  }
}
