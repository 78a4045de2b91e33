package dev.slipway.controller.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Argo Rollouts manifests as Slipway's, one document at a time, with no cluster. Every field is
 * taken out of a copy of the input as it is mapped; whatever is left at the end is reported by its
 * path, so a field the converter does not know is listed, never silently dropped.
 */
final class ArgoConverter {
  static final String ARGO = "argoproj.io/v1alpha1";
  static final String SLIPWAY = "slipway.dev/v1alpha1";
  static final String GATEWAY_PLUGIN = "argoproj-labs/gatewayAPI";

  /** What became of one field. */
  enum Severity {
    /** The field was not carried over: the output lacks what it said. */
    UNMAPPED,
    /** Carried over with a different meaning, said in the message. */
    CHANGED,
    /** Carried over; something must be done beside the manifest. */
    TODO
  }

  record Note(Severity severity, String path, String message) {
    @Override
    public String toString() {
      return severity.name().toLowerCase(Locale.ROOT) + " " + path + ": " + message;
    }
  }

  /** One input document's outcome: the document to write (null: none), and the notes. */
  record Result(String what, Map<String, Object> output, List<Note> notes) {
    boolean unmapped() {
      return notes.stream().anyMatch(n -> n.severity() == Severity.UNMAPPED);
    }
  }

  private final List<Note> notes = new ArrayList<>();

  private ArgoConverter() {}

  /** Converts one parsed document; documents of other APIs come back as they were. */
  static Result convert(Map<String, Object> input) {
    return new ArgoConverter().document(copy(input));
  }

  private Result document(Map<String, Object> in) {
    String api = str(in.get("apiVersion"));
    String kind = str(in.get("kind"));
    Map<String, Object> meta = map(in.get("metadata"));
    String name = meta == null ? null : str(meta.get("name"));
    String what = kind + " " + name;
    if (!ARGO.equals(api)) {
      return new Result(what, in, List.of());
    }
    in.remove("apiVersion");
    in.remove("kind");
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("apiVersion", SLIPWAY);
    switch (kind == null ? "" : kind) {
      case "Rollout" -> {
        out.put("kind", "Rollout");
        out.put("metadata", metadata(map(in.remove("metadata"))));
        dropStatus(in);
        out.put("spec", rolloutSpec(map(in.remove("spec")), name));
      }
      case "AnalysisTemplate", "ClusterAnalysisTemplate" -> {
        out.put("kind", "AnalysisTemplate");
        Map<String, Object> m = metadata(map(in.remove("metadata")));
        if (kind.equals("ClusterAnalysisTemplate")) {
          note(
              Severity.CHANGED,
              "kind",
              "Slipway's AnalysisTemplates are namespaced: this one becomes an AnalysisTemplate; apply it in each namespace whose Rollouts use it");
        }
        out.put("metadata", m);
        dropStatus(in);
        Map<String, Object> spec = templateSpec(map(in.remove("spec")));
        if (spec == null) {
          out = null;
        } else {
          out.put("spec", spec);
        }
      }
      default -> {
        note(
            Severity.UNMAPPED,
            "kind",
            kind
                + " has no Slipway counterpart"
                + (kind != null && kind.equals("Experiment")
                    ? " (experiments are not supported)"
                    : kind != null && kind.equals("AnalysisRun")
                        ? " (Slipway's runs live in the Rollout's status and record)"
                        : "")
                + "; the document is not converted");
        return new Result(what, null, List.copyOf(notes));
      }
    }
    leftovers("", in);
    return new Result(what, out, List.copyOf(notes));
  }

  private void dropStatus(Map<String, Object> in) {
    in.remove("status");
  }

  private Map<String, Object> metadata(Map<String, Object> m) {
    Map<String, Object> out = new LinkedHashMap<>();
    if (m == null) return out;
    for (String server :
        List.of(
            "uid",
            "resourceVersion",
            "generation",
            "creationTimestamp",
            "managedFields",
            "selfLink")) {
      m.remove(server);
    }
    move(m, out, "name");
    move(m, out, "namespace");
    move(m, out, "labels");
    Map<String, Object> annotations = map(m.remove("annotations"));
    if (annotations != null) {
      Map<String, Object> kept = new LinkedHashMap<>();
      annotations.forEach(
          (k, v) -> {
            if (k.startsWith("rollout.argoproj.io/")
                || k.equals("kubectl.kubernetes.io/last-applied-configuration")) {
              note(
                  Severity.UNMAPPED,
                  "metadata.annotations." + k,
                  "written by Argo Rollouts or kubectl, not configuration");
            } else {
              kept.put(k, v);
            }
          });
      if (!kept.isEmpty()) out.put("annotations", kept);
    }
    leftovers("metadata.", m);
    return out;
  }

  // ---- Rollout ----

  private Map<String, Object> rolloutSpec(Map<String, Object> in, String name) {
    Map<String, Object> out = new LinkedHashMap<>();
    if (in == null) {
      note(Severity.UNMAPPED, "spec", "missing");
      return out;
    }
    move(in, out, "replicas");
    move(in, out, "selector");
    move(in, out, "template");
    move(in, out, "revisionHistoryLimit");
    move(in, out, "progressDeadlineSeconds");
    move(in, out, "paused");
    Map<String, Object> ref = map(in.remove("workloadRef"));
    if (ref != null) out.put("workloadRef", workloadRef(ref, name));
    Object abort = in.remove("progressDeadlineAbort");
    if (Boolean.FALSE.equals(abort)) {
      note(
          Severity.CHANGED,
          "spec.progressDeadlineAbort",
          "false: Slipway always rolls back a revision that passes its progress deadline");
    }
    unmapped(
        in,
        "spec.",
        "minReadySeconds",
        "Slipway counts a pod once it is Ready; delay readiness with the pod's readinessProbe instead");
    unmapped(
        in,
        "spec.",
        "restartAt",
        "a restart is asked for with `kubectl slipway restart`, not written in Git");
    unmapped(
        in,
        "spec.",
        "rollbackWindow",
        "every undo to an earlier revision is a new canary in Slipway (`kubectl slipway undo`)");
    unmapped(
        in,
        "spec.",
        "analysis",
        "Slipway keeps every analysis run in the Rollout's status and its signed record, not as AnalysisRun objects");
    Map<String, Object> strategy = map(in.remove("strategy"));
    Map<String, Object> s = new LinkedHashMap<>();
    if (strategy != null) {
      Map<String, Object> canary = map(strategy.remove("canary"));
      Map<String, Object> blueGreen = map(strategy.remove("blueGreen"));
      if (canary != null) s.put("canary", canary(canary, name));
      if (blueGreen != null) s.put("blueGreen", blueGreen(blueGreen));
      leftovers("spec.strategy.", strategy);
    }
    if (s.isEmpty()) {
      note(
          Severity.UNMAPPED, "spec.strategy", "no canary or blueGreen strategy; Slipway needs one");
    }
    out.put("strategy", s);
    leftovers("spec.", in);
    return out;
  }

  private Map<String, Object> workloadRef(Map<String, Object> ref, String name) {
    Map<String, Object> out = new LinkedHashMap<>();
    String kind = str(ref.remove("kind"));
    ref.remove("apiVersion");
    if (kind != null && !kind.equals("Deployment")) {
      note(Severity.UNMAPPED, "spec.workloadRef.kind", kind + ": Slipway adopts Deployments only");
    }
    out.put("kind", "Deployment");
    move(ref, out, "name");
    String scaleDown = str(ref.remove("scaleDown"));
    if ("never".equals(scaleDown)) {
      note(
          Severity.CHANGED,
          "spec.workloadRef.scaleDown",
          "never: Slipway scales the Deployment to 0 once the Rollout's pods serve (its pod template stays the source)");
    } else if ("progressively".equals(scaleDown)) {
      note(
          Severity.CHANGED,
          "spec.workloadRef.scaleDown",
          "progressively: Slipway brings the Rollout's pods up in full first, then scales the Deployment to 0");
    }
    note(
        Severity.TODO,
        "spec.workloadRef",
        "the Deployment must consent to adoption: annotate it slipway.dev/adopt-by="
            + name
            + " (in Git, beside it)");
    leftovers("spec.workloadRef.", ref);
    return out;
  }

  private Map<String, Object> canary(Map<String, Object> in, String name) {
    String p = "spec.strategy.canary.";
    Map<String, Object> out = new LinkedHashMap<>();
    services(in, out, p, name);
    Map<String, Object> routing = map(in.remove("trafficRouting"));
    if (routing != null) {
      Map<String, Object> r = trafficRouting(routing, p + "trafficRouting.");
      if (r != null) out.put("trafficRouting", r);
    }
    Map<String, Object> background = map(in.remove("analysis"));
    if (background != null) {
      Object starting = background.remove("startingStep");
      if (starting != null) {
        note(
            Severity.CHANGED,
            p + "analysis.startingStep",
            starting
                + ": Slipway's background analysis starts with the first step (put an analysis step at step "
                + starting
                + " instead)");
      }
      out.put("backgroundAnalysis", analysis(background, p + "analysis."));
    }
    Object delay = in.remove("scaleDownDelaySeconds");
    if (delay != null) out.put("scaleDownDelay", seconds(delay));
    Object abortDelay = in.remove("abortScaleDownDelaySeconds");
    if (abortDelay != null) {
      note(
          Severity.CHANGED,
          p + "abortScaleDownDelaySeconds",
          abortDelay + ": an aborted canary's pods wait scaleDownDelay too");
    }
    for (String f : List.of("maxSurge", "maxUnavailable", "minPodsPerReplicaSet")) {
      unmapped(
          in,
          p,
          f,
          "Slipway sizes the canary from its weight (setCanaryScale overrides it) and keeps the stable at full size until promotion");
    }
    unmapped(
        in,
        p,
        "dynamicStableScale",
        "the stable keeps its size until promotion, so an abort needs no scale-up");
    for (String f : List.of("canaryMetadata", "stableMetadata")) {
      unmapped(
          in,
          p,
          f,
          "Slipway tells revisions apart by the pod label slipway.dev/pod-template-hash (series label slipway_pod_template_hash)");
    }
    unmapped(in, p, "antiAffinity", "set affinity in the pod template");
    unmapped(in, p, "pingPong", "Slipway keeps one stable and one canary Service");
    unmapped(in, p, "scaleDownDelayRevisionLimit", "one previous revision stays scaled up");
    List<Object> steps = list(in.remove("steps"));
    if (steps != null) {
      // Slipway mirrors HTTPRoutes only: with a GRPCRoute, a mirror step cannot be kept.
      boolean grpc = out.get("trafficRouting") instanceof Map<?, ?> tr && hasGrpcRoutes(tr);
      List<Object> converted = new ArrayList<>();
      for (int i = 0; i < steps.size(); i++) {
        Map<String, Object> raw = map(steps.get(i));
        String at = p + "steps[" + i + "].";
        if (grpc && raw != null) {
          if (raw.containsKey("setMirrorRoute")) {
            raw.remove("setMirrorRoute");
            note(
                Severity.UNMAPPED,
                at + "setMirrorRoute",
                "the Rollout weights a GRPCRoute, and Slipway mirrors HTTPRoutes only: the step is left out");
          }
          if (raw.isEmpty()) continue;
        }
        Map<String, Object> step = step(raw, at, routing != null);
        if (step != null) converted.add(step);
      }
      out.put("steps", converted);
    }
    leftovers(p, in);
    return out;
  }

  private void services(Map<String, Object> in, Map<String, Object> out, String p, String name) {
    String stable = str(in.remove("stableService"));
    String canary = str(in.remove("canaryService"));
    if (stable == null) {
      stable = name + "-stable";
      note(
          Severity.TODO,
          p + "stableService",
          "Slipway needs a stable Service; create " + stable + ", selecting the app's pods");
    }
    if (canary == null) {
      canary = name + "-canary";
      note(
          Severity.TODO,
          p + "canaryService",
          "Slipway needs a canary Service; create " + canary + ", selecting the app's pods");
    }
    out.put("stableService", stable);
    out.put("canaryService", canary);
  }

  private Map<String, Object> trafficRouting(Map<String, Object> in, String p) {
    Map<String, Object> out = null;
    Map<String, Object> plugins = map(in.remove("plugins"));
    if (plugins != null) {
      Map<String, Object> gw = map(plugins.remove(GATEWAY_PLUGIN));
      if (gw != null) out = gatewayApi(gw, p + "plugins." + GATEWAY_PLUGIN + ".");
      plugins.forEach(
          (k, v) ->
              note(
                  Severity.UNMAPPED,
                  p + "plugins." + k,
                  "Slipway routes through Gateway API HTTPRoutes only"));
    }
    Object managed = in.remove("managedRoutes");
    if (managed != null) {
      note(
          Severity.CHANGED,
          p + "managedRoutes",
          "not needed: Slipway adds and removes its own rules (slipway-<rollout>-segment-N) by name");
    }
    Object max = in.remove("maxTrafficWeight");
    if (max != null) {
      note(Severity.UNMAPPED, p + "maxTrafficWeight", max + ": Slipway's weights are percentages");
    }
    for (String mesh :
        List.of("istio", "nginx", "alb", "smi", "ambassador", "traefik", "apisix", "appMesh")) {
      unmapped(
          in,
          p,
          mesh,
          "Slipway writes Gateway API HTTPRoutes: route this app with an HTTPRoute (most of these gateways implement Gateway API) and name it here");
    }
    leftovers(p, in);
    return out;
  }

  private static boolean hasGrpcRoutes(Map<?, ?> routing) {
    return routing.get("gatewayAPI") instanceof Map<?, ?> gw && gw.containsKey("grpcRoutes");
  }

  private Map<String, Object> gatewayApi(Map<String, Object> gw, String p) {
    List<Object> routes =
        routeRefs(
            gw,
            p,
            "http",
            (at, useHeader) -> {
              if (Boolean.FALSE.equals(useHeader)) {
                note(
                    Severity.CHANGED,
                    at,
                    "false: Slipway adds setHeaderRoute's rule to every HTTPRoute it weights");
              }
            });
    List<Object> grpc =
        routeRefs(
            gw,
            p,
            "grpc",
            (at, useHeader) -> {
              if (Boolean.FALSE.equals(useHeader)) {
                note(
                    Severity.CHANGED,
                    at,
                    "false: Slipway adds setHeaderRoute's rule to every GRPCRoute it weights");
              }
            });
    for (String other : List.of("tcpRoute", "tcpRoutes")) {
      unmapped(gw, p, other, "Slipway weights HTTPRoutes and GRPCRoutes only");
    }
    Map<String, Object> api = new LinkedHashMap<>();
    if (!routes.isEmpty()) api.put("httpRoutes", routes);
    if (!grpc.isEmpty()) api.put("grpcRoutes", grpc);
    move(gw, api, "namespace");
    gw.remove("configMap");
    leftovers(p, gw);
    if (routes.isEmpty() && grpc.isEmpty()) {
      note(Severity.UNMAPPED, p, "names no HTTPRoute or GRPCRoute");
      return null;
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("gatewayAPI", api);
    return out;
  }

  /**
   * The plugin's {@code <kind>Route} (one name) and {@code <kind>Routes} (a list) as Slipway's
   * route references; a list entry's useHeaderRoutes goes to {@code onUseHeader} with its path.
   */
  private List<Object> routeRefs(
      Map<String, Object> gw, String p, String kind, BiConsumer<String, Object> onUseHeader) {
    List<Object> routes = new ArrayList<>();
    String single = str(gw.remove(kind + "Route"));
    if (single != null) routes.add(new LinkedHashMap<>(Map.of("name", single)));
    List<Object> many = list(gw.remove(kind + "Routes"));
    if (many != null) {
      for (int i = 0; i < many.size(); i++) {
        String at = p + kind + "Routes[" + i + "].";
        Map<String, Object> r = map(many.get(i));
        Object useHeader = r.remove("useHeaderRoutes");
        if (useHeader != null) onUseHeader.accept(at + "useHeaderRoutes", useHeader);
        Map<String, Object> out = new LinkedHashMap<>();
        move(r, out, "name");
        leftovers(at, r);
        routes.add(out);
      }
    }
    return routes;
  }

  private Map<String, Object> step(Map<String, Object> in, String p, boolean routed) {
    Map<String, Object> out = new LinkedHashMap<>();
    if (in == null) return null;
    Object weight = in.remove("setWeight");
    if (weight != null) {
      if (routed) {
        out.put("setWeight", weight);
      } else {
        out.put("setCanaryScale", new LinkedHashMap<>(Map.of("weight", weight)));
        note(
            Severity.CHANGED,
            p + "setWeight",
            "without trafficRouting the canary's share is its share of pods: setCanaryScale weight "
                + weight
                + " (add a Gateway API route for exact weights)");
      }
    }
    Map<String, Object> pause = map(in.remove("pause"));
    if (pause != null) {
      Map<String, Object> o = new LinkedHashMap<>();
      Object d = pause.remove("duration");
      if (d != null) o.put("duration", seconds(d));
      leftovers(p + "pause.", pause);
      out.put("pause", o);
    }
    Map<String, Object> scale = map(in.remove("setCanaryScale"));
    if (scale != null) {
      Map<String, Object> o = new LinkedHashMap<>();
      move(scale, o, "replicas");
      move(scale, o, "weight");
      move(scale, o, "matchTrafficWeight");
      leftovers(p + "setCanaryScale.", scale);
      out.put("setCanaryScale", o);
    }
    Map<String, Object> analysis = map(in.remove("analysis"));
    if (analysis != null) out.put("analysis", analysis(analysis, p + "analysis."));
    Map<String, Object> header = map(in.remove("setHeaderRoute"));
    if (header != null) out.put("setHeaderRoute", headerRoute(header, p + "setHeaderRoute."));
    Map<String, Object> mirror = map(in.remove("setMirrorRoute"));
    if (mirror != null) {
      Map<String, Object> o = new LinkedHashMap<>();
      mirror.remove("name");
      Object pct = mirror.remove("percentage");
      o.put("percent", pct == null ? 100 : pct);
      unmapped(
          mirror,
          p + "setMirrorRoute.",
          "match",
          "Slipway mirrors the weighted rules' requests, not a matched subset");
      leftovers(p + "setMirrorRoute.", mirror);
      out.put("setMirrorRoute", o);
    }
    unmapped(in, p, "experiment", "experiments are not supported: use an analysis step");
    unmapped(in, p, "plugin", "step plugins are not supported");
    leftovers(p, in);
    if (out.size() != 1) {
      if (!out.isEmpty()) note(Severity.UNMAPPED, p, "sets more than one action");
      return null;
    }
    return out;
  }

  private Map<String, Object> headerRoute(Map<String, Object> in, String p) {
    in.remove("name");
    List<Object> matches = list(in.remove("match"));
    List<Object> out = new ArrayList<>();
    if (matches != null) {
      for (int i = 0; i < matches.size(); i++) {
        Map<String, Object> m = map(matches.get(i));
        String q = p + "match[" + i + "].";
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("header", m.remove("headerName"));
        Map<String, Object> value = map(m.remove("headerValue"));
        if (value != null) {
          Object exact = value.remove("exact");
          Object regex = value.remove("regex");
          Object prefix = value.remove("prefix");
          if (exact != null) {
            o.put("value", exact);
          } else if (regex != null) {
            o.put("value", regex);
            o.put("type", "RegularExpression");
          } else if (prefix != null) {
            o.put(
                "value",
                "^" + str(prefix).replaceAll("([\\\\.^$|?*+()\\[\\]{}])", "\\\\$1") + ".*");
            o.put("type", "RegularExpression");
            note(
                Severity.CHANGED,
                q + "headerValue.prefix",
                "a prefix becomes the regular expression " + o.get("value"));
          }
          leftovers(q + "headerValue.", value);
        }
        leftovers(q, m);
        out.add(o);
      }
    }
    leftovers(p, in);
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("match", out);
    return o;
  }

  private Map<String, Object> blueGreen(Map<String, Object> in) {
    String p = "spec.strategy.blueGreen.";
    Map<String, Object> out = new LinkedHashMap<>();
    move(in, out, "activeService");
    move(in, out, "previewService");
    Object replicas = in.remove("previewReplicaCount");
    if (replicas != null) out.put("previewReplicas", replicas);
    Map<String, Object> pre = map(in.remove("prePromotionAnalysis"));
    if (pre != null) out.put("prePromotionAnalysis", analysis(pre, p + "prePromotionAnalysis."));
    Object auto = in.remove("autoPromotionEnabled");
    Object seconds = in.remove("autoPromotionSeconds");
    if (Boolean.FALSE.equals(auto)) {
      if (seconds != null) {
        note(
            Severity.CHANGED,
            p + "autoPromotionSeconds",
            "ignored by Argo while autoPromotionEnabled is false; left out");
      }
    } else {
      out.put("autoPromotionAfter", seconds == null ? "0s" : seconds(seconds));
    }
    Map<String, Object> post = map(in.remove("postPromotionAnalysis"));
    if (post != null) {
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("window", "0s");
      o.put("analysis", analysis(post, p + "postPromotionAnalysis."));
      out.put("postPromotion", o);
      note(
          Severity.CHANGED,
          p + "postPromotionAnalysis",
          "becomes postPromotion with window 0s: the window lasts until the analysis ends, and the previous revision stays up meanwhile");
    }
    Object delay = in.remove("scaleDownDelaySeconds");
    out.put("scaleDownDelay", delay == null ? "30s" : seconds(delay));
    Object abortDelay = in.remove("abortScaleDownDelaySeconds");
    if (abortDelay != null) {
      note(
          Severity.CHANGED,
          p + "abortScaleDownDelaySeconds",
          abortDelay + ": an aborted preview's pods wait scaleDownDelay too");
    }
    unmapped(in, p, "scaleDownDelayRevisionLimit", "one previous revision stays scaled up");
    unmapped(in, p, "antiAffinity", "set affinity in the pod template");
    for (String f : List.of("previewMetadata", "activeMetadata")) {
      unmapped(
          in, p, f, "Slipway tells revisions apart by the pod label slipway.dev/pod-template-hash");
    }
    leftovers(p, in);
    return out;
  }

  /** An analysis reference (step, background, pre- or post-promotion). */
  private Map<String, Object> analysis(Map<String, Object> in, String p) {
    Map<String, Object> out = new LinkedHashMap<>();
    List<Object> templates = list(in.remove("templates"));
    if (templates != null) {
      List<Object> t = new ArrayList<>();
      for (int i = 0; i < templates.size(); i++) {
        Map<String, Object> ref = map(templates.get(i));
        Object cluster = ref.remove("clusterScope");
        if (Boolean.TRUE.equals(cluster)) {
          note(
              Severity.TODO,
              p + "templates[" + i + "].clusterScope",
              "the ClusterAnalysisTemplate "
                  + ref.get("templateName")
                  + " becomes an AnalysisTemplate: convert it and apply it in this Rollout's namespace");
        }
        Map<String, Object> o = new LinkedHashMap<>();
        move(ref, o, "templateName");
        leftovers(p + "templates[" + i + "].", ref);
        t.add(o);
      }
      out.put("templates", t);
    }
    List<Object> args = list(in.remove("args"));
    if (args != null) {
      List<Object> a = args(args, p + "args");
      if (!a.isEmpty()) out.put("args", a);
    }
    unmapped(
        in,
        p,
        "dryRun",
        "dry-run is per metric in Slipway: set dryRun: true on the template's metric");
    unmapped(
        in,
        p,
        "measurementRetention",
        "Slipway keeps every measurement in the Rollout's signed record");
    leftovers(p, in);
    return out;
  }

  private List<Object> args(List<Object> args, String p) {
    List<Object> out = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      Map<String, Object> a = map(args.get(i));
      String q = p + "[" + i + "].";
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("name", a.remove("name"));
      Object value = a.remove("value");
      Map<String, Object> from = map(a.remove("valueFrom"));
      if (value != null) o.put("value", String.valueOf(value));
      if (from != null) {
        Object hash = from.remove("podTemplateHashValue");
        if (hash != null) {
          note(
              Severity.CHANGED,
              q + "valueFrom.podTemplateHashValue",
              hash
                  + ": Slipway gives every query the built-in args canaryHash and stableHash; use {{args."
                  + ("Stable".equals(hash) ? "stableHash" : "canaryHash")
                  + "}} in the template instead of {{args."
                  + o.get("name")
                  + "}}");
          leftovers(q + "valueFrom.", from);
          continue;
        }
        unmapped(
            from,
            q + "valueFrom.",
            "secretKeyRef",
            "credentials go in the template's prometheus.auth, from a Secret; not in args");
        unmapped(
            from,
            q + "valueFrom.",
            "fieldRef",
            "give the value in the step's args, or use the built-in args (rollout, namespace, service, revision)");
        leftovers(q + "valueFrom.", from);
        if (value == null) continue;
      }
      leftovers(q, a);
      out.add(o);
    }
    return out;
  }

  // ---- AnalysisTemplate ----

  private Map<String, Object> templateSpec(Map<String, Object> in) {
    if (in == null) {
      note(Severity.UNMAPPED, "spec", "missing");
      return null;
    }
    Map<String, Object> out = new LinkedHashMap<>();
    List<Object> args = list(in.remove("args"));
    if (args != null) {
      List<Object> a = new ArrayList<>();
      for (int i = 0; i < args.size(); i++) {
        Map<String, Object> arg = map(args.get(i));
        String q = "spec.args[" + i + "].";
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("name", arg.remove("name"));
        Object value = arg.remove("value");
        if (value != null) o.put("value", String.valueOf(value));
        Map<String, Object> from = map(arg.remove("valueFrom"));
        if (from != null) {
          note(
              Severity.UNMAPPED,
              q + "valueFrom",
              "a template's args take plain values in Slipway; credentials go in prometheus.auth");
        }
        leftovers(q, arg);
        a.add(o);
      }
      if (!a.isEmpty()) out.put("args", a);
    }
    List<String> dry = new ArrayList<>();
    List<Object> dryRun = list(in.remove("dryRun"));
    if (dryRun != null) {
      for (Object d : dryRun) dry.add(str(map(d).get("metricName")));
    }
    unmapped(
        in,
        "spec.",
        "measurementRetention",
        "Slipway keeps every measurement in the Rollout's signed record");
    List<Object> metrics = list(in.remove("metrics"));
    List<Object> converted = new ArrayList<>();
    if (metrics != null) {
      for (int i = 0; i < metrics.size(); i++) {
        Map<String, Object> m = metric(map(metrics.get(i)), "spec.metrics[" + i + "].", dry);
        if (m != null) converted.add(m);
      }
    }
    leftovers("spec.", in);
    if (converted.isEmpty()) {
      note(
          Severity.UNMAPPED,
          "spec.metrics",
          "no metric could be converted, so no AnalysisTemplate is written: Rollouts that name it will wait for it");
      return null;
    }
    out.put("metrics", converted);
    return out;
  }

  /** Argo's {{args.NAME}}, spaces allowed inside the braces (ArgoHostedMetrics uses it too). */
  static final Pattern ARG = Pattern.compile("\\{\\{\\s*args\\.([A-Za-z0-9_-]+)\\s*}}");

  private static final Pattern METRIC_NAME = Pattern.compile("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$");

  private Map<String, Object> metric(Map<String, Object> in, String p, List<String> dry) {
    Map<String, Object> out = new LinkedHashMap<>();
    String name = str(in.remove("name"));
    String slipwayName = metricName(name);
    if (!slipwayName.equals(name)) {
      note(Severity.CHANGED, p + "name", name + " becomes " + slipwayName + " (a DNS label)");
    }
    out.put("name", slipwayName);
    Map<String, Object> provider = map(in.remove("provider"));
    Map<String, Object> prom = provider == null ? null : map(provider.remove("prometheus"));
    Map<String, Object> web = provider == null ? null : map(provider.remove("web"));
    Map<String, Object> job = provider == null ? null : map(provider.remove("job"));
    Map<String, Object> hosted = null;
    String hostedKind = null;
    for (String kind : ArgoHostedMetrics.KINDS) {
      Map<String, Object> h = provider == null ? null : map(provider.remove(kind));
      if (h != null && hosted == null) {
        hosted = h;
        hostedKind = kind;
      }
    }
    if (provider != null) {
      provider.forEach(
          (k, v) ->
              note(
                  Severity.UNMAPPED,
                  p + "provider." + k,
                  "Slipway measures with Prometheus, Datadog, New Relic, CloudWatch, web checks and Job checks: the metric "
                      + name
                      + " is not converted"));
    }
    if (web != null && prom == null)
      return ArgoWebMetrics.convert(this, out, web, in, p, name, dry);
    if (job != null && prom == null)
      return ArgoJobMetrics.convert(this, out, job, in, p, name, dry);
    if (hosted != null && prom == null) {
      return ArgoHostedMetrics.convert(this, out, hostedKind, hosted, in, p, name, dry);
    }
    if (prom == null) {
      if (provider == null) note(Severity.UNMAPPED, p + "provider", "missing");
      in.clear(); // the rest of a metric that is not converted says nothing more
      return null;
    }
    String q = p + "provider.prometheus.";
    String query = str(prom.remove("query"));
    if (query != null) {
      Matcher m = ARG.matcher(query);
      query = m.replaceAll("{{args.$1}}");
      out.put("query", query.strip());
      if (unquotedArg(query)) {
        note(
            Severity.TODO,
            q + "query",
            "Slipway takes {{args.NAME}} only inside a double-quoted string (so an arg cannot change the query's shape): quote it");
      }
    }
    if (!threshold(in, out, p, in.remove("successCondition"), in.remove("failureCondition"))) {
      prom.clear();
      return null;
    }
    schedule(in, out, p);
    if (dry.contains(name) || dry.contains(".*")) out.put("dryRun", true);
    Map<String, Object> po = new LinkedHashMap<>();
    String address = str(prom.remove("address"));
    if (address != null && address.contains("{{")) {
      note(
          Severity.UNMAPPED,
          q + "address",
          "Slipway does not template the address: write it out (" + address + ")");
    }
    po.put("address", address);
    Object timeout = prom.remove("timeout");
    if (timeout != null) po.put("timeout", seconds(timeout));
    Object insecure = prom.remove("insecure");
    if (Boolean.TRUE.equals(insecure)) po.put("insecureSkipTlsVerify", true);
    List<Object> headers = list(prom.remove("headers"));
    if (headers != null) {
      List<Object> h = new ArrayList<>();
      for (Object o : headers) {
        Map<String, Object> hm = map(o);
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("name", hm.remove("key"));
        header.put("value", hm.remove("value"));
        leftovers(q + "headers[].", hm);
        h.add(header);
      }
      po.put("headers", h);
    }
    unmapped(
        prom,
        q,
        "authentication",
        "Slipway's prometheus.auth reads a bearer token or basic credentials from a Secret; SigV4 and OAuth2 are not supported");
    leftovers(q, prom);
    out.put("prometheus", po);
    leftovers(p, in);
    return out;
  }

  /**
   * Argo's conditions on {@code result} as a threshold in {@code out}; false (the metric noted as
   * not converted, its input cleared) when they say more than a range.
   */
  boolean threshold(
      Map<String, Object> in, Map<String, Object> out, String p, Object success, Object failure) {
    String s = str(success);
    String f = str(failure);
    try {
      ArgoConditions.Range r = ArgoConditions.combined(s, f);
      Map<String, Object> t = new LinkedHashMap<>();
      if (r.min() != null) t.put("min", r.min());
      if (r.max() != null) t.put("max", r.max());
      out.put("threshold", t);
      for (String n : r.notes()) note(Severity.CHANGED, p + conditions(s, f), n);
      return true;
    } catch (ArgoConditions.Unmappable e) {
      note(
          Severity.UNMAPPED,
          p + conditions(s, f),
          e.getMessage() + "; the metric is not converted");
      in.clear();
      return false;
    }
  }

  /** A metric's schedule and limits, as they are in Argo; consecutiveSuccessLimit listed. */
  void schedule(Map<String, Object> in, Map<String, Object> out, String p) {
    for (String f : List.of("interval", "initialDelay")) {
      Object d = in.remove(f);
      if (d != null) out.put(f, seconds(d));
    }
    for (String f :
        List.of("count", "failureLimit", "inconclusiveLimit", "consecutiveErrorLimit")) {
      Object v = in.remove(f);
      if (v != null) out.put(f, integer(v, p + f));
    }
    unmapped(
        in,
        p,
        "consecutiveSuccessLimit",
        "Slipway's metric passes when its count of measurements is within its limits");
  }

  static String conditions(String success, String failure) {
    return success != null && failure != null
        ? "successCondition+failureCondition"
        : failure != null ? "failureCondition" : "successCondition";
  }

  private static String metricName(String name) {
    if (name == null) return "metric";
    if (METRIC_NAME.matcher(name).matches()) return name;
    String s =
        name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]+", "-").replaceAll("^-+|-+$", "");
    return s.isEmpty() ? "metric" : s.length() > 63 ? s.substring(0, 63) : s;
  }

  /** Whether some {{args.X}} stands outside a double-quoted string. */
  static boolean unquotedArg(String query) {
    boolean quoted = false;
    for (int i = 0; i < query.length(); i++) {
      char c = query.charAt(i);
      if (c == '\\' && quoted) {
        i++;
      } else if (c == '"') {
        quoted = !quoted;
      } else if (!quoted && query.startsWith("{{args.", i)) {
        return true;
      }
    }
    return false;
  }

  // ---- helpers ----

  void note(Severity s, String path, String message) {
    notes.add(new Note(s, path, message));
  }

  void unmapped(Map<String, Object> in, String prefix, String field, String why) {
    Object v = in.remove(field);
    if (v != null) note(Severity.UNMAPPED, prefix + field, why);
  }

  /** Every field left in the input: a field the converter does not know. */
  void leftovers(String prefix, Map<String, Object> in) {
    if (in == null) return;
    in.forEach(
        (k, v) ->
            note(
                Severity.UNMAPPED,
                prefix + k,
                "not known to the converter; carry it over by hand if Slipway has it"));
    in.clear();
  }

  private static void move(Map<String, Object> from, Map<String, Object> to, String key) {
    Object v = from.remove(key);
    if (v != null) to.put(key, v);
  }

  /** Argo's seconds (an integer) and durations (Go's syntax, e.g. 1m30s) as a Slipway duration. */
  static String seconds(Object v) {
    String s = String.valueOf(v).strip();
    return s.matches("\\d+") ? s + "s" : s;
  }

  private Object integer(Object v, String path) {
    String s = String.valueOf(v).strip();
    if (s.matches("\\d+")) return Integer.parseInt(s);
    note(Severity.TODO, path, s + " is not an integer: Slipway takes a number here");
    return s;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object o) {
    return o instanceof Map<?, ?> m ? (Map<String, Object>) m : null;
  }

  @SuppressWarnings("unchecked")
  static List<Object> list(Object o) {
    return o instanceof List<?> l ? (List<Object>) l : null;
  }

  static String str(Object o) {
    return o == null ? null : String.valueOf(o);
  }

  /** A deep, mutable copy. */
  @SuppressWarnings("unchecked")
  static <T> T copy(T o) {
    if (o instanceof Map<?, ?> m) {
      Map<String, Object> c = new LinkedHashMap<>();
      m.forEach((k, v) -> c.put(String.valueOf(k), copy(v)));
      return (T) c;
    }
    if (o instanceof List<?> l) {
      List<Object> c = new ArrayList<>();
      for (Object v : l) c.add(copy(v));
      return (T) c;
    }
    return o;
  }
}
