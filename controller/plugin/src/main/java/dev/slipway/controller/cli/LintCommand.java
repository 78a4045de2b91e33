package dev.slipway.controller.cli;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.slipway.api.v1alpha1.AnalysisTemplate;
import dev.slipway.api.v1alpha1.Rollout;
import dev.slipway.controller.analysis.MetricChecks;
import dev.slipway.controller.core.SpecCheck;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Checks manifests before they reach Git. Offline: every field known to the API (a typo is an
 * error, not a silently dropped field) and the controller's own spec checks. With a cluster that
 * answers: a server-side dry run too, so the CRD schema and its CEL rules judge, as at admission.
 * Exit 0 when every document passes, 1 when one does not.
 */
@Command(
    name = "lint",
    description =
        "Check Rollouts and AnalysisTemplates in FILE (- for stdin): fields, spec rules, "
            + "and a server-side dry run when a cluster answers.")
public final class LintCommand implements Callable<Integer> {
  @Mixin KubeOptions kube;
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(
      arity = "1..*",
      description = "Manifest files (YAML, several documents allowed), or - for stdin.")
  List<String> files;

  @Option(
      names = "--offline",
      description = "Do not contact the cluster: field and spec checks only.")
  boolean offline;

  private static final ObjectMapper STRICT =
      Serialization.jsonMapper().copy().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    KubernetesClient client = offline ? null : reachable();
    if (!offline && client == null)
      out.println("note: no cluster answered; field and spec checks only (--offline to say so)");
    int bad = 0;
    try {
      for (String file : files) {
        String text =
            file.equals("-")
                ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8)
                : Files.readString(Path.of(file));
        int doc = 0;
        for (String yaml : documents(text)) {
          doc++;
          Linted l = lint(yaml, client);
          if (l == null) continue;
          String where = file + (doc > 1 ? " #" + doc : "") + ": " + l.what();
          if (l.skipped()) {
            out.println(where + ": skipped (not a Slipway kind; a cluster's dry run checks it)");
          } else if (l.problems().isEmpty()) {
            out.println(where + ": ok" + (client != null ? " (server-side dry run)" : ""));
            l.warnings().forEach(w -> out.println(where + ": warning: " + w));
          } else {
            bad++;
            l.problems().forEach(p -> out.println(where + ": " + p));
          }
        }
      }
    } finally {
      if (client != null) client.close();
    }
    out.flush();
    return bad == 0 ? 0 : 1;
  }

  /**
   * One document's verdict: what it is (Kind name), whether it was left to a cluster, and its
   * problems.
   */
  record Linted(String what, boolean skipped, List<String> problems, List<String> warnings) {
    Linted(String what, boolean skipped, List<String> problems) {
      this(what, skipped, problems, List.of());
    }
  }

  /** Lints one document; null for an empty one. */
  static Linted lint(String yaml, KubernetesClient client) {
    List<String> problems = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    Map<String, Object> raw = Serialization.unmarshal(yaml, Map.class);
    if (raw == null || raw.isEmpty()) return null;
    GenericKubernetesResource g =
        Serialization.jsonMapper().convertValue(raw, GenericKubernetesResource.class);
    String kind = g.getKind() == null ? "(no kind)" : g.getKind();
    String what = kind + " " + (g.getMetadata() == null ? "(no name)" : g.getMetadata().getName());
    boolean ours = "slipway.dev/v1alpha1".equals(g.getApiVersion());
    try {
      if (ours && kind.equals("Rollout")) {
        Rollout r = STRICT.convertValue(raw, Rollout.class);
        String problem = r.getSpec() == null ? "spec is missing" : SpecCheck.problem(r.getSpec());
        if (problem != null) problems.add(problem);
        if (problem == null) {
          problems.addAll(RolloutLint.problems(r.getSpec()));
          warnings.addAll(RolloutLint.warnings(r.getSpec()));
        }
      } else if (ours && kind.equals("AnalysisTemplate")) {
        AnalysisTemplate t = STRICT.convertValue(raw, AnalysisTemplate.class);
        if (t.getSpec() != null) {
          problems.addAll(
              MetricChecks.problems(
                  "spec",
                  t.getSpec().metrics() == null ? List.of() : t.getSpec().metrics(),
                  t.getSpec().prometheus()));
        }
      } else if (client == null) {
        return new Linted(what, true, problems);
      }
    } catch (IllegalArgumentException e) {
      problems.add(fieldProblem(e));
    }
    if (client != null && problems.isEmpty()) {
      try {
        if (g.getMetadata() != null && g.getMetadata().getNamespace() == null)
          g.getMetadata().setNamespace(client.getNamespace());
        client
            .resource(g)
            .dryRun()
            .fieldManager("kubectl-slipway-lint")
            .forceConflicts()
            .serverSideApply();
      } catch (KubernetesClientException e) {
        problems.add(
            e.getStatus() != null && e.getStatus().getMessage() != null
                ? e.getStatus().getMessage()
                : Errors.plain(e));
      }
    }
    if (client != null && problems.isEmpty() && ours && kind.equals("Rollout"))
      warnings.addAll(powerWarnings(g, client));
    return new Linted(what, false, problems, problems.isEmpty() ? warnings : List.of());
  }

  /**
   * Against a live cluster: the steps of the Rollout as it runs there whose sequential analysis
   * cannot see the declared effect at today's traffic (the controller's power plan in its status).
   * A warning, not a failure: the step will run, and end Inconclusive unless extended.
   */
  static List<String> powerWarnings(GenericKubernetesResource g, KubernetesClient client) {
    if (g.getMetadata() == null || g.getMetadata().getName() == null) return List.of();
    try {
      Rollout live =
          client
              .resources(Rollout.class)
              .inNamespace(g.getMetadata().getNamespace())
              .withName(g.getMetadata().getName())
              .get();
      if (live == null || live.getStatus() == null || live.getStatus().analysisPlan() == null)
        return List.of();
      return live.getStatus().analysisPlan().stream()
          .filter(p -> !Boolean.TRUE.equals(p.meetsDeclared()))
          .map(
              p ->
                  "the live Rollout's "
                      + p.metric()
                      + " analysis cannot reach its declared effect: "
                      + p.message())
          .toList();
    } catch (KubernetesClientException e) {
      return List.of();
    }
  }

  /**
   * Jackson's "Unrecognized field" as a person would say it: unknown field
   * spec.strategy.canary.steps[0].setWieght.
   */
  static String fieldProblem(IllegalArgumentException e) {
    if (e.getCause() instanceof JsonMappingException j && !j.getPath().isEmpty()) {
      StringBuilder path = new StringBuilder();
      for (var ref : j.getPath()) {
        if (ref.getFieldName() != null) {
          path.append(path.length() == 0 ? "" : ".").append(ref.getFieldName());
        } else if (ref.getIndex() >= 0) {
          path.append('[').append(ref.getIndex()).append(']');
        }
      }
      String why =
          j instanceof UnrecognizedPropertyException ? "unknown field " : "invalid value at ";
      return why + path;
    }
    String m = e.getMessage() == null ? e.toString() : e.getMessage();
    return m.lines().findFirst().orElse(m);
  }

  static List<String> documents(String text) {
    List<String> docs = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : text.split("\n", -1)) {
      if (line.startsWith("---")) {
        docs.add(current.toString());
        current.setLength(0);
      } else {
        current.append(line).append('\n');
      }
    }
    docs.add(current.toString());
    return docs.stream()
        .filter(
            d ->
                !d.strip().isEmpty()
                    && !d.lines().allMatch(l -> l.strip().isEmpty() || l.strip().startsWith("#")))
        .toList();
  }

  /** A client when the cluster answers within the connect timeout, else null. */
  private KubernetesClient reachable() {
    KubernetesClient c;
    try {
      c = kube.client();
    } catch (RuntimeException noConfig) {
      return null;
    }
    try {
      c.getKubernetesVersion();
      return c;
    } catch (RuntimeException e) {
      c.close();
      return null;
    }
  }
}
