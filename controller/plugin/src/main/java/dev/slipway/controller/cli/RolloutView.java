package dev.slipway.controller.cli;

import dev.slipway.api.v1alpha1.AnalysisRunStatus;
import dev.slipway.api.v1alpha1.CanaryStep;
import dev.slipway.api.v1alpha1.MetricStatus;
import dev.slipway.api.v1alpha1.PauseCondition;
import dev.slipway.api.v1alpha1.Rollout;
import dev.slipway.api.v1alpha1.RolloutStatus;
import dev.slipway.api.v1alpha1.SegmentMatch;
import dev.slipway.api.v1alpha1.StepPlan;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The text of {@code kubectl slipway get rollout}: phase and message, the steps with the current
 * one marked, desired against verified weight as a bar, both revisions with ready pods, the latest
 * analysis verdicts (value against condition) and why it is paused. Pure, for a fixed width.
 */
public final class RolloutView {
  private RolloutView() {}

  public static String render(Rollout r, Map<String, ReplicaSet> replicaSets, int width) {
    RolloutStatus s = r.getStatus() == null ? RolloutStatus.empty() : r.getStatus();
    List<String> out = new ArrayList<>();
    out.add(
        kv(
            "Name",
            r.getMetadata().getName() + "  (namespace " + r.getMetadata().getNamespace() + ")"));
    out.add(
        kv(
            "Phase",
            s.phase() == null
                ? "-"
                : s.phase() + (s.state() == null ? "" : "  (" + s.state() + ")")));
    out.add(kv("Message", s.message() == null ? "" : s.message()));
    if (r.getMetadata().getGeneration() != null
        && !r.getMetadata().getGeneration().equals(s.observedGeneration())) {
      out.add(
          kv("", "the controller has not yet seen generation " + r.getMetadata().getGeneration()));
    }
    List<CanaryStep> steps =
        r.getSpec() == null || r.getSpec().strategy() == null
            ? List.of()
            : r.getSpec().strategy().plan().stepsOrEmpty();
    out.add("Steps:");
    int current =
        s.canaryRevision() == null ? -1 : s.currentStepIndex() == null ? 0 : s.currentStepIndex();
    for (int i = 0; i < steps.size(); i++) {
      String mark = i < current ? "  done " : i == current ? "  ->   " : "       ";
      out.add(mark + (i + 1) + ". " + describe(steps.get(i)));
    }
    if (steps.isEmpty()) out.add("       (none: promoted once ready)");
    int desired = s.desiredWeight() == null ? 0 : s.desiredWeight();
    String verified = s.verifiedWeight() == null ? "unverified" : s.verifiedWeight() + "%";
    int barWidth = Math.max(10, Math.min(40, width - 44));
    out.add(
        kv(
            "Weight",
            bar(s.verifiedWeight() == null ? 0 : s.verifiedWeight(), barWidth)
                + " canary "
                + verified
                + (desired == (s.verifiedWeight() == null ? -1 : s.verifiedWeight())
                    ? ""
                    : " (want " + desired + "%)")));
    out.add("Revisions:");
    out.add(revision("stable", s.stableRevision(), replicaSets));
    if (s.canaryRevision() != null) out.add(revision("canary", s.canaryRevision(), replicaSets));
    if (s.analysisRuns() != null && !s.analysisRuns().isEmpty()) {
      out.add("Analysis:");
      for (AnalysisRunStatus run : s.analysisRuns()) {
        out.add(
            "  "
                + (run.step() == null ? "background" : "step " + (run.step() + 1))
                + "  "
                + run.verdict());
        if (run.metrics() != null) {
          for (MetricStatus m : run.metrics()) {
            out.add(
                "    "
                    + pad(m.name(), 16)
                    + " "
                    + pad(m.value() == null ? "n/a" : fmt(m.value()), 9)
                    + pad(m.condition() == null ? "" : "(" + m.condition() + ")", 22)
                    + " "
                    + m.verdict()
                    + (Boolean.TRUE.equals(m.dryRun()) ? " [dry-run]" : ""));
          }
        } else if (run.message() != null) {
          out.add("    " + run.message());
        }
      }
    }
    if (s.analysisPlan() != null && !s.analysisPlan().isEmpty()) {
      out.add("Power plan (what each sequential analysis can detect, from the stable's traffic):");
      for (StepPlan p : s.analysisPlan()) {
        out.add(
            "  "
                + (Boolean.TRUE.equals(p.meetsDeclared()) ? "ok    " : "SHORT ")
                + p.metric()
                + ": "
                + p.message());
      }
    }
    if (s.pauseConditions() != null && !s.pauseConditions().isEmpty()) {
      out.add("Paused:");
      for (PauseCondition p : s.pauseConditions()) {
        out.add(
            "  "
                + p.reason()
                + (p.until() == null ? "" : " until " + p.until())
                + (p.message() == null ? "" : ": " + p.message()));
      }
    }
    if (s.lastAction() != null) {
      out.add(
          kv(
              "Last action",
              s.lastAction().action()
                  + " by "
                  + (s.lastAction().requestedBy() != null
                      ? s.lastAction().requestedBy()
                      : s.lastAction().fieldManager())
                  + " at "
                  + s.lastAction().handledAt()
                  + ": "
                  + s.lastAction().result()));
    }
    StringBuilder b = new StringBuilder();
    for (String line : out) {
      String fitted = line.length() > width ? line.substring(0, width - 1) + "~" : line;
      b.append(fitted.stripTrailing()).append('\n');
    }
    return b.toString();
  }

  static String describe(CanaryStep s) {
    return switch (s.kind()) {
      case SET_WEIGHT -> "setWeight " + s.setWeight();
      case PAUSE ->
          "pause " + (s.pause().duration() == null ? "(until resumed)" : s.pause().duration());
      case SET_CANARY_SCALE ->
          "setCanaryScale "
              + (s.setCanaryScale().replicas() != null
                  ? s.setCanaryScale().replicas() + " pods"
                  : s.setCanaryScale().weight() != null
                      ? s.setCanaryScale().weight() + "%"
                      : "matchTrafficWeight");
      case ANALYSIS -> "analysis " + String.join(", ", names(s));
      case SET_HEADER_ROUTE ->
          s.setHeaderRoute().matchOrEmpty().isEmpty()
              ? "setHeaderRoute (remove)"
              : "setHeaderRoute "
                  + String.join(
                      " and ",
                      s.setHeaderRoute().matchOrEmpty().stream()
                          .map(
                              m ->
                                  (m.cookie() != null ? "cookie " + m.cookie() : m.header())
                                      + (m.typeOrDefault() == SegmentMatch.Type.Exact ? "=" : "~")
                                      + m.value())
                          .toList());
      case SET_MIRROR_ROUTE -> "setMirrorRoute " + s.setMirrorRoute().percent() + "%";
    };
  }

  private static List<String> names(CanaryStep s) {
    List<String> n = new ArrayList<>();
    s.analysis().templatesOrEmpty().forEach(t -> n.add(t.templateName()));
    s.analysis().metricsOrEmpty().forEach(m -> n.add(m.name()));
    return n;
  }

  private static String revision(String role, String hash, Map<String, ReplicaSet> rss) {
    if (hash == null) return "  " + role + "  -";
    ReplicaSet rs = rss.get(hash);
    String pods =
        rs == null
            ? "no ReplicaSet"
            : (rs.getStatus() == null || rs.getStatus().getReadyReplicas() == null
                    ? 0
                    : rs.getStatus().getReadyReplicas())
                + "/"
                + rs.getSpec().getReplicas()
                + " ready";
    String image =
        rs == null ? "" : rs.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
    return "  " + role + "  " + pad(hash, 11) + " " + pad(pods, 12) + " " + image;
  }

  static String bar(int percent, int width) {
    int filled = (int) Math.round(percent / 100.0 * width);
    return "[" + "#".repeat(filled) + "-".repeat(width - filled) + "]";
  }

  private static String kv(String k, String v) {
    return pad(k.isEmpty() ? "" : k + ":", 13) + v;
  }

  private static String pad(String s, int n) {
    return s.length() >= n ? s + " " : s + " ".repeat(n - s.length());
  }

  private static String fmt(double v) {
    return String.format(Locale.ROOT, "%.4g", v);
  }
}
