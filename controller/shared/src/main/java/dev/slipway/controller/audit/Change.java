package dev.slipway.controller.audit;

import dev.slipway.api.v1alpha1.RecordEntry;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One change as a SOC 2 (CC8.1) reviewer reads it, from one verified revision attempt: what changed
 * (images, commit), who authored it, who approved its manual gates, what analysis found, when, and
 * how it ended.
 *
 * @param approverDistinct true when every approver differs from the author and each was bound to
 *     the caller by admission (requestedByBound), false when one is the author, null when either is
 *     unknown
 */
public record Change(
    String namespace,
    String rollout,
    String revision,
    int attempt,
    List<String> images,
    String commit,
    String author,
    List<String> approvers,
    Boolean approverDistinct,
    int measurementsPassed,
    int measurementsFailed,
    int measurementsInconclusive,
    String opened,
    String ended,
    String outcome,
    String source) {

  public static Change of(
      String namespace, String rollout, String revision, int attempt, List<RecordEntry> entries) {
    Set<String> images = new LinkedHashSet<>();
    String commit = null;
    String author = null;
    String source = null;
    String opened = null;
    String ended = null;
    String outcome = "InProgress";
    Set<String> approvers = new LinkedHashSet<>();
    boolean unbound = false;
    int passed = 0;
    int failed = 0;
    int inconclusive = 0;
    for (RecordEntry e : entries) {
      Map<String, Object> d = e.data() == null ? Map.of() : e.data();
      switch (e.kind() == null ? "" : e.kind()) {
        case "RecordOpened" -> {
          opened = opened == null ? e.at() : opened;
          if (d.get("provenance") instanceof Map<?, ?> p) {
            commit = str(p.get("slipway.dev/commit"));
            author = str(p.get("slipway.dev/author"));
            source =
                str(p.get("argocd.argoproj.io/tracking-id")) != null
                    ? str(p.get("argocd.argoproj.io/tracking-id"))
                    : str(p.get("slipway.dev/source"));
          }
        }
        case "Transition", "TransitionApplied" -> {
          if (d.get("images") instanceof List<?> l) l.forEach(i -> images.add(image(i)));
          Object to = d.get("to");
          if (("Stable".equals(to) || "RolledBack".equals(to))
              && ended == null
              && "Transition".equals(e.kind())) {
            ended = e.at();
            outcome = (String) to;
          }
        }
        case "ManualAction" -> {
          // Resume, Promote and PromoteFull carried out (not refused) let the change go on:
          // approvals.
          Object action = d.get("action");
          String result = str(d.get("result"));
          boolean approving =
              ("Resume".equals(action) || "Promote".equals(action) || "PromoteFull".equals(action))
                  && result != null
                  && !result.startsWith("refused");
          if (approving && str(d.get("requestedBy")) != null) {
            approvers.add(str(d.get("requestedBy")));
            if (!Boolean.TRUE.equals(d.get("requestedByBound"))) unbound = true;
          }
        }
        case "Measurement" -> {
          String v = str(d.get("verdict"));
          if ("Successful".equals(v)) passed++;
          else if ("Failed".equals(v) || "Error".equals(v)) failed++;
          else if ("Inconclusive".equals(v)) inconclusive++;
        }
        default -> {}
      }
    }
    String by = author;
    // Distinct is claimed only when both identities are bound: the author from the attempt's
    // opening
    // record, every approver by admission. Anyone may type any requestedBy where the policy is not
    // in force.
    boolean same =
        by != null && approvers.stream().anyMatch(a -> a.strip().equalsIgnoreCase(by.strip()));
    Boolean distinct =
        (by == null || approvers.isEmpty())
            ? null
            : same ? Boolean.FALSE : unbound ? null : Boolean.TRUE;
    return new Change(
        namespace,
        rollout,
        revision,
        attempt,
        new ArrayList<>(images),
        commit,
        author,
        new ArrayList<>(approvers),
        distinct,
        passed,
        failed,
        inconclusive,
        opened,
        ended,
        outcome,
        source);
  }

  /**
   * The image as it ran: the resolved digest where the kubelet reported one, else the reference.
   */
  private static String image(Object i) {
    if (i instanceof Map<?, ?> m) {
      String id = str(m.get("imageID"));
      return id != null && !id.isBlank() ? id : str(m.get("image"));
    }
    return str(i);
  }

  private static String str(Object o) {
    return o == null ? null : String.valueOf(o);
  }

  public static final String CSV_HEADER =
      "namespace,rollout,revision,attempt,images,commit,author,approvers,approverDistinct,"
          + "measurementsPassed,measurementsFailed,measurementsInconclusive,opened,ended,outcome,source";

  /** One CSV row (RFC 4180 quoting); lists joined with spaces. */
  public String csv() {
    return String.join(
        ",",
        q(namespace),
        q(rollout),
        q(revision),
        String.valueOf(attempt),
        q(String.join(" ", images)),
        q(commit),
        q(author),
        q(String.join(" ", approvers)),
        approverDistinct == null ? "" : String.valueOf(approverDistinct),
        String.valueOf(measurementsPassed),
        String.valueOf(measurementsFailed),
        String.valueOf(measurementsInconclusive),
        q(opened),
        q(ended),
        q(outcome),
        q(source));
  }

  /**
   * Quoted as RFC 4180 needs; a value a spreadsheet would run as a formula is defused with a
   * leading quote.
   */
  private static String q(String s) {
    if (s == null) return "";
    String v = !s.isEmpty() && "=+-@\t\r".indexOf(s.charAt(0)) >= 0 ? "'" + s : s;
    return v.contains(",") || v.contains("\"") || v.contains("\n") || v.contains("\r")
        ? "\"" + v.replace("\"", "\"\"") + "\""
        : v;
  }
}
