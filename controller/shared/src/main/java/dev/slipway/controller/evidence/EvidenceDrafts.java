package dev.slipway.controller.evidence;

import dev.slipway.analysis.judge.Measurement;
import dev.slipway.analysis.run.RunResult;
import dev.slipway.api.v1alpha1.ActionRecord;
import dev.slipway.api.v1alpha1.CanaryStep;
import dev.slipway.api.v1alpha1.RevisionState;
import dev.slipway.api.v1alpha1.Rollout;
import dev.slipway.api.v1alpha1.RolloutStatus;
import dev.slipway.api.v1alpha1.RouteStatus;
import dev.slipway.api.v1alpha1.WorkloadRef;
import dev.slipway.controller.core.Action;
import dev.slipway.controller.core.Observations;
import dev.slipway.controller.core.RouteShape;
import dev.slipway.controller.core.Segments;
import dev.slipway.controller.core.StepNames;
import dev.slipway.controller.kube.Sha256;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Which entries one pass owes the record, derived from what it observed and decided. Pure. Keys are
 * built from content (revision state, step, weight, run start, measurement number), never from the
 * pass, so a pass replayed after a crash yields the same keys and writes nothing twice.
 */
public final class EvidenceDrafts {
  /**
   * A weight is recorded when it differs from the last one of its kind, as weight/N/W (the N-th
   * weight of the attempt): a pass replayed after a crash asks for the same weight again and is
   * matched to the entry already there. See {@link EntryDraft#recordWhenChanged()}.
   */
  static final String WEIGHT_FIELD = "canaryWeight";

  private EvidenceDrafts() {}

  /** Decisions and observations: persisted before any action of the pass is carried out. */
  public static List<Targeted> before(PassContext c) {
    List<Targeted> out = new ArrayList<>();
    RolloutStatus after = c.decision().status();
    String at = c.now().toString();
    measurements(c, out, at);
    verifiedWeight(c, out, at);
    for (Action a : c.decision().actions()) {
      if (a instanceof Action.RecordTransition t) {
        transition(c, t, out, at);
      } else if (a instanceof Action.RecordDrift drift) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("what", drift.what());
        data.put("observed", drift.observed());
        data.put("decided", drift.decided());
        data.put("routes", routes(c));
        out.add(
            new Targeted(
                drift.revision(),
                drift.attempt(),
                new EntryDraft(
                    "drift/" + drift.key(),
                    "Drift",
                    EntryDraft.DECISION,
                    c.before() == null ? null : c.before().currentStepIndex(),
                    at,
                    data)));
      }
    }
    String canary = revisionOf(after);
    int attempt = attemptOf(after);
    restart(c, after, canary, attempt, out, at);
    List<Integer> weights = new ArrayList<>();
    for (Action.SetWeight w : c.decision().actionsOf(Action.SetWeight.class)) {
      if (canary == null || weights.contains(w.canaryWeight())) continue;
      weights.add(w.canaryWeight());
      Map<String, Object> data = new LinkedHashMap<>();
      data.put("canaryWeight", w.canaryWeight());
      data.put("stableWeight", 100 - w.canaryWeight());
      data.put("state", String.valueOf(after.state()));
      data.put("routes", routeNames(c));
      out.add(
          new Targeted(
              canary,
              attempt,
              new EntryDraft(
                  "weight",
                  "WeightSet",
                  EntryDraft.DECISION,
                  after.currentStepIndex(),
                  at,
                  data,
                  WEIGHT_FIELD)));
    }
    routeShape(c, after, canary, attempt, out, at);
    for (Action.ScaleWorkload w : c.decision().actionsOf(Action.ScaleWorkload.class)) {
      if (canary == null) continue;
      Map<String, Object> data = new LinkedHashMap<>();
      data.put("kind", "Deployment");
      data.put("name", w.name());
      data.put(
          "replicasBefore",
          c.observations().workload() == null ? null : c.observations().workload().replicas());
      data.put("replicas", w.replicas());
      data.put("servedBy", after.stableRevision());
      out.add(
          new Targeted(
              canary,
              attempt,
              new EntryDraft(
                  "adopted/" + w.name(),
                  "WorkloadAdopted",
                  EntryDraft.DECISION,
                  after.currentStepIndex(),
                  at,
                  data)));
    }
    ActionRecord manual = after.lastAction();
    if (manual != null
        && !manual.equals(c.before() == null ? null : c.before().lastAction())
        && canary != null) {
      Map<String, Object> data = new LinkedHashMap<>();
      data.put("action", String.valueOf(manual.action()));
      data.put("requestedBy", manual.requestedBy());
      // Whether admission bound requestedBy to the authenticated caller, and the author it was
      // checked against (from the attempt's RecordOpened): an auditor sees what the approval
      // proves.
      var seen = c.observations() == null ? null : c.observations().request();
      data.put("requestedByBound", seen != null && seen.requestedByBound());
      if (seen != null && seen.author() != null) data.put("author", seen.author());
      data.put("fieldManager", manual.fieldManager());
      data.put("requestedAt", manual.requestedAt());
      data.put("handledAt", manual.handledAt());
      data.put("result", manual.result());
      out.add(
          new Targeted(
              canary,
              attempt,
              new EntryDraft(
                  "manual/" + manual.handledAt() + "/" + manual.action(),
                  "ManualAction",
                  EntryDraft.DECISION,
                  after.currentStepIndex(),
                  at,
                  data)));
    }
    return out;
  }

  /** Results: persisted after the pass's actions, one per decision that acted. */
  public static List<Targeted> after(List<Targeted> before, List<String> problems, String at) {
    return after(before, problems, at, Map.of());
  }

  /**
   * Results, with the images of rolled-back revisions: looked up after the weight write, so that no
   * request stands between a decision to roll back and taking traffic away.
   */
  public static List<Targeted> after(
      List<Targeted> before,
      List<String> problems,
      String at,
      Map<String, List<Map<String, Object>>> images) {
    List<Targeted> out = new ArrayList<>();
    for (Targeted t : before) {
      EntryDraft d = t.draft();
      String kind =
          switch (d.kind()) {
            case "Transition" -> "TransitionApplied";
            case "WeightSet" -> "WeightWritten";
            case "Drift" -> "DriftCorrected";
            default -> null;
          };
      if (kind == null) continue;
      Map<String, Object> data = new LinkedHashMap<>();
      data.put("decision", d.key());
      data.put("outcome", problems.isEmpty() ? "applied" : "applied with problems");
      data.put("problems", List.copyOf(problems));
      if (rolledBack(d)) {
        data.put("images", images.getOrDefault(t.revision(), List.of()));
      }
      out.add(
          new Targeted(
              t.revision(),
              t.attempt(),
              new EntryDraft(d.key() + "/result", kind, EntryDraft.RESULT, d.step(), at, data)));
    }
    return out;
  }

  private static void transition(
      PassContext c, Action.RecordTransition t, List<Targeted> out, String at) {
    RolloutStatus after = c.decision().status();
    Integer step = t.step();
    if (t.to() == RevisionState.Pending) {
      out.add(
          new Targeted(
              t.revision(),
              t.attempt(),
              new EntryDraft(
                  "opened", "RecordOpened", EntryDraft.OBSERVATION, null, at, opened(c, t))));
    }
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("from", t.from() == null ? null : t.from().name());
    data.put("to", t.to().name());
    data.put("reason", t.reason());
    data.put("message", t.message());
    data.put("desiredWeight", after.desiredWeight());
    data.put(
        "verifiedWeight",
        c.observations().traffic() == null ? null : c.observations().traffic().verifiedWeight());
    data.put("routes", routes(c));
    // The supply-chain evidence ("Signed"): what the image policies verified before any pod ran.
    if (t.from() == RevisionState.Pending
        && c.observations().images() != null
        && c.observations().images().verified()) {
      data.put("imageVerification", c.observations().images().evidence());
    }
    if (recordsImages(t)) {
      data.put("images", c.images().getOrDefault(t.revision(), List.of()));
      if (after.stableRevision() != null && !after.stableRevision().equals(t.revision())) {
        data.put("stableImages", c.images().getOrDefault(after.stableRevision(), List.of()));
      }
    }
    // The step at the moment of the transition, not after the pass: a replay reaches the same one.
    String key =
        "transition/"
            + (t.from() == null ? "new" : t.from().name())
            + "-"
            + t.to().name()
            + "/"
            + (t.step() == null ? "-" : t.step());
    out.add(
        new Targeted(
            t.revision(),
            t.attempt(),
            new EntryDraft(key, "Transition", EntryDraft.DECISION, step, at, data)));
  }

  /**
   * Transitions that say which images ran: when pods became ready, on promotion, at the end. A
   * rollback names them in its result ({@link #after}), not in the decision, which must be quick.
   */
  private static boolean recordsImages(Action.RecordTransition t) {
    return t.to() == RevisionState.Ready
        || t.to() == RevisionState.Promoted
        || t.to() == RevisionState.Stable;
  }

  static boolean rolledBack(EntryDraft d) {
    return "Transition".equals(d.kind()) && "RolledBack".equals(d.data().get("to"));
  }

  /** The revisions whose rollback results name their pods' images. */
  public static Set<String> imageRevisionsAfter(List<Targeted> decided) {
    Set<String> out = new LinkedHashSet<>();
    for (Targeted t : decided) {
      if (rolledBack(t.draft())) out.add(t.revision());
    }
    return out;
  }

  /**
   * The revisions whose pods' images this pass's entries name; the recorder looks them up first.
   */
  public static Set<String> imageRevisions(PassContext c) {
    Set<String> out = new LinkedHashSet<>();
    String stable = c.decision().status().stableRevision();
    for (Action.RecordTransition t : c.decision().actionsOf(Action.RecordTransition.class)) {
      if (recordsImages(t)) {
        out.add(t.revision());
        if (stable != null) out.add(stable);
      }
    }
    return out;
  }

  /** The Rollout's steps as people read them, in order (the record's opening entry keeps them). */
  static List<String> stepNames(Rollout r) {
    List<String> steps = new ArrayList<>();
    if (r.getSpec() != null && r.getSpec().strategy() != null) {
      for (CanaryStep s : r.getSpec().strategy().plan().stepsOrEmpty()) {
        steps.add(StepNames.of(s));
      }
    }
    return steps;
  }

  private static Map<String, Object> opened(PassContext c, Action.RecordTransition t) {
    var r = c.rollout();
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("rollout", r.getMetadata().getName());
    data.put("namespace", r.getMetadata().getNamespace());
    data.put("uid", r.getMetadata().getUid());
    data.put("generation", r.getMetadata().getGeneration());
    data.put("revision", t.revision());
    data.put("attempt", t.attempt());
    data.put("stableRevision", c.decision().status().stableRevision());
    data.put("controller", c.controller());
    data.put("provenance", Provenance.of(r));
    List<Map<String, Object>> images = new ArrayList<>();
    if (r.getSpec() != null
        && r.getSpec().template() != null
        && r.getSpec().template().getSpec() != null) {
      r.getSpec()
          .template()
          .getSpec()
          .getContainers()
          .forEach(
              ct ->
                  images.add(
                      Map.of(
                          "container",
                          ct.getName(),
                          "image",
                          Objects.toString(ct.getImage(), ""))));
    }
    data.put("templateImages", images);
    data.put("steps", stepNames(r));
    return data;
  }

  private static void verifiedWeight(PassContext c, List<Targeted> out, String at) {
    RolloutStatus before = c.before();
    var traffic = c.observations().traffic();
    if (before == null
        || traffic == null
        || before.desiredWeight() == null
        || traffic.verifiedWeight() == null
        || !traffic.verifiedWeight().equals(before.desiredWeight())
        || revisionOf(before) == null) {
      return;
    }
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("canaryWeight", traffic.verifiedWeight());
    data.put("routes", routes(c));
    out.add(
        new Targeted(
            revisionOf(before),
            attemptOf(before),
            new EntryDraft(
                "verified",
                "WeightVerified",
                EntryDraft.OBSERVATION,
                before.currentStepIndex(),
                at,
                data,
                WEIGHT_FIELD)));
  }

  private static void measurements(PassContext c, List<Targeted> out, String at) {
    RolloutStatus before = c.before();
    // The canary's runs, or, in the post-promotion window, the promoted (now stable) revision's.
    String revision = revisionOf(before);
    if (revision == null) return;
    for (Map.Entry<Integer, RunResult> e : c.observations().analysis().entrySet()) {
      RunResult run = e.getValue();
      String step = runStep(e.getKey());
      String runId = step + "/" + run.startedAt();
      Map<String, Integer> counts = new HashMap<>();
      for (Measurement m : run.measurements()) {
        int n = counts.merge(m.metric(), 1, Integer::sum) - 1;
        out.add(
            new Targeted(
                revision,
                attemptOf(before),
                new EntryDraft(
                    measurementKeys(e.getKey()) + run.startedAt() + "/" + m.metric() + "/" + n,
                    "Measurement",
                    EntryDraft.OBSERVATION,
                    e.getKey() < 0 ? null : e.getKey(),
                    at,
                    measurement(m))));
      }
      if (run.result().verdict().isTerminal()) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("verdict", run.result().verdict().name());
        data.put("reason", run.result().reason());
        data.put("analysis", step);
        data.put("runStartedAt", String.valueOf(run.startedAt()));
        if (!run.sequential().isEmpty())
          data.put("sequential", SequentialData.specs(run.sequential()));
        out.add(
            new Targeted(
                revision,
                attemptOf(before),
                new EntryDraft(
                    "analysis/" + runId + "/" + run.result().verdict(),
                    "AnalysisVerdict",
                    EntryDraft.OBSERVATION,
                    e.getKey() < 0 ? null : e.getKey(),
                    at,
                    data)));
      }
    }
  }

  /** How a run's step is spelled in its evidence keys. */
  static String runStep(int stepIndex) {
    return stepIndex == Observations.BACKGROUND
        ? "background"
        : stepIndex < 0 ? "post-promotion" : String.valueOf(stepIndex);
  }

  /** The key prefix of a step's measurements; the run's start, the metric and its number follow. */
  static String measurementKeys(int stepIndex) {
    return "measurement/" + runStep(stepIndex) + "/";
  }

  static Map<String, Object> measurement(Measurement m) {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("metric", m.metric());
    d.put("verdict", m.verdict().name());
    d.put("reason", m.reason());
    d.put("value", finite(m.value()));
    d.put("baselineValue", finite(m.baselineValue()));
    d.put("condition", m.condition());
    d.put("query", m.query());
    d.put("baselineQuery", m.baselineQuery());
    d.put("window", m.window());
    d.put("provider", m.provider());
    d.put("mannWhitneyU", finite(m.mannWhitneyU()));
    d.put("pValue", finite(m.pValue()));
    d.put("startedAt", String.valueOf(m.startedAt()));
    d.put("finishedAt", String.valueOf(m.finishedAt()));
    d.put("dryRun", m.dryRun() ? Boolean.TRUE : null);
    if (m.look() != null) d.put("look", LookData.data(m.look()));
    return d;
  }

  /** JSON has no infinity; it is spelled out so the record stays faithful. */
  private static Object finite(Double v) {
    if (v == null) return null;
    if (v.isNaN()) return "NaN";
    if (v.isInfinite()) return v > 0 ? "+Inf" : "-Inf";
    return v;
  }

  private static List<Map<String, Object>> routes(PassContext c) {
    var t = c.observations().traffic();
    List<Map<String, Object>> out = new ArrayList<>();
    if (t == null) return out;
    for (RouteStatus r : t.routes()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", r.name());
      m.put("canaryWeight", r.canaryWeight());
      m.put("generation", r.generation());
      m.put("accepted", r.accepted());
      out.add(m);
    }
    return out;
  }

  private static List<String> routeNames(PassContext c) {
    var canary = c.rollout().getSpec().strategy().plan();
    if (canary.trafficRouting() == null || canary.trafficRouting().gatewayAPI() == null)
      return List.of();
    var gw = canary.trafficRouting().gatewayAPI();
    List<String> names = new ArrayList<>();
    gw.httpRoutesOrEmpty().forEach(h -> names.add(h.name()));
    gw.grpcRoutesOrEmpty().forEach(g -> names.add("GRPCRoute " + g.name()));
    return names;
  }

  /** The revision whose record a status's weight and manual entries belong in. */
  /**
   * Each pod a restart evicts, before the eviction, and the restart's end: keyed by the restart and
   * the pod's uid.
   */
  private static void restart(
      PassContext c,
      RolloutStatus after,
      String revision,
      int attempt,
      List<Targeted> out,
      String at) {
    if (revision == null) return;
    for (Action.EvictPod e : c.decision().actionsOf(Action.EvictPod.class)) {
      Map<String, Object> data = new LinkedHashMap<>();
      data.put("pod", e.name());
      data.put("uid", e.uid());
      data.put("revision", e.revision());
      data.put("restartAt", e.restartAt());
      out.add(
          new Targeted(
              revision,
              attempt,
              new EntryDraft(
                  "restart/" + e.restartAt() + "/evict/" + e.uid(),
                  "PodEviction",
                  EntryDraft.DECISION,
                  after.currentStepIndex(),
                  at,
                  data)));
    }
    for (Action.ReplacePod p : c.decision().actionsOf(Action.ReplacePod.class)) {
      // A StatefulSet's or DaemonSet's pod replaced (a rollback, or a node updated): by its uid.
      Map<String, Object> data = new LinkedHashMap<>();
      data.put("pod", p.name());
      data.put("uid", p.uid());
      if (p.node() != null) {
        data.put("node", p.node());
      } else {
        data.put("ordinal", p.ordinal());
      }
      data.put("from", p.from());
      data.put("to", p.to());
      out.add(
          new Targeted(
              revision,
              attempt,
              new EntryDraft(
                  "replace/" + p.uid(),
                  "PodReplaced",
                  EntryDraft.DECISION,
                  after.currentStepIndex(),
                  at,
                  data)));
    }
    for (Action.WriteTemplate t : c.decision().actionsOf(Action.WriteTemplate.class)) {
      // A DaemonSet's or StatefulSet's template written back (a rollback): once per attempt.
      Map<String, Object> data = new LinkedHashMap<>();
      data.put(
          t.kind() == WorkloadRef.Kind.StatefulSet ? "statefulSet" : "daemonSet", t.workload());
      data.put("template", t.revision());
      data.put("rolledBack", after.templateRestoredFor());
      out.add(
          new Targeted(
              revision,
              attempt,
              new EntryDraft(
                  "template/" + t.revision() + "/" + attempt,
                  "TemplateWritten",
                  EntryDraft.DECISION,
                  after.currentStepIndex(),
                  at,
                  data)));
    }
    String done = after.restartedAt();
    if (done != null && !done.equals(c.before() == null ? null : c.before().restartedAt())) {
      Map<String, Object> data = new LinkedHashMap<>();
      data.put("restartAt", done);
      data.put("stableRevision", after.stableRevision());
      data.put("canaryRevision", after.canaryRevision());
      out.add(
          new Targeted(
              revision,
              attempt,
              new EntryDraft(
                  "restart/" + done + "/done",
                  "RestartFinished",
                  EntryDraft.DECISION,
                  after.currentStepIndex(),
                  at,
                  data)));
    }
  }

  static String revisionOf(RolloutStatus s) {
    if (s == null) return null;
    return s.canaryRevision() != null ? s.canaryRevision() : s.stableRevision();
  }

  static int attemptOf(RolloutStatus s) {
    return s == null || s.attempt() == null ? 1 : s.attempt();
  }

  /**
   * The header segment and mirror written with a weight: recorded when they change, and their
   * removal too once there was one (a canary without either records nothing extra).
   */
  private static void routeShape(
      PassContext c,
      RolloutStatus after,
      String canary,
      int attempt,
      List<Targeted> out,
      String at) {
    List<Action.SetWeight> writes = c.decision().actionsOf(Action.SetWeight.class);
    if (canary == null || writes.isEmpty()) {
      return;
    }
    RouteShape shape = writes.get(writes.size() - 1).shape();
    boolean had =
        c.before() != null
            && (c.before().headerRoute() != null || c.before().mirrorPercent() != null);
    if (shape.none() && !had) {
      return;
    }
    Map<String, Object> data = new LinkedHashMap<>();
    List<Map<String, Object>> headers = new ArrayList<>();
    for (Segments.HeaderMatch h : shape.segment()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", h.name());
      m.put("type", h.type());
      m.put("value", h.value());
      headers.add(m);
    }
    data.put("segment", headers);
    if (shape.method() != null) {
      data.put("grpcMethod", shape.method().toString());
    }
    data.put("mirrorPercent", shape.mirrorPercent());
    // Short, because it also names the entry's key. A shape without a method prints as before.
    data.put(
        "shape",
        shape.none()
            ? "none"
            : fingerprint(
                headers
                    + (shape.method() == null ? "" : " method=" + shape.method())
                    + " mirror="
                    + shape.mirrorPercent()));
    data.put("routes", routeNames(c));
    out.add(
        new Targeted(
            canary,
            attempt,
            new EntryDraft(
                "shape",
                "RouteShapeSet",
                EntryDraft.DECISION,
                after.currentStepIndex(),
                at,
                data,
                "shape")));
  }

  private static String fingerprint(String s) {
    return "sha256-" + Sha256.shortHex(s, 16);
  }
}
