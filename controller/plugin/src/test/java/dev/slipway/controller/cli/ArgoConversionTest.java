package dev.slipway.controller.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * kubectl slipway convert on fixtures written in Argo Rollouts' own format: the migration guide's
 * table is covered by them, what converts passes lint, and nothing is dropped without a note.
 */
class ArgoConversionTest {
  static final Path FIXTURES = Path.of("src/test/resources/argo");
  static final Path GUIDE = Path.of("../../docs/migrating-from-argo-rollouts.md");

  record Doc(String file, Map<String, Object> input, ArgoConverter.Result result) {}

  static List<Doc> fixtures() throws IOException {
    List<Doc> out = new ArrayList<>();
    try (Stream<Path> files = Files.list(FIXTURES)) {
      for (Path f : files.sorted().toList()) {
        for (String yaml : LintCommand.documents(Files.readString(f))) {
          @SuppressWarnings("unchecked")
          Map<String, Object> raw = Serialization.unmarshal(yaml, Map.class);
          out.add(new Doc(f.getFileName().toString(), raw, ArgoConverter.convert(raw)));
        }
      }
    }
    return out;
  }

  static Doc doc(List<Doc> docs, String what) {
    return docs.stream().filter(d -> d.result().what().equals(what)).findFirst().orElseThrow();
  }

  static String yaml(ArgoConverter.Result r) throws IOException {
    return ConvertCommand.YAML.writeValueAsString(r.output());
  }

  @Test
  void everyConvertedDocumentPassesLintAndNoFieldIsUnknownToTheConverter() throws IOException {
    List<Doc> docs = fixtures();
    assertTrue(docs.size() >= 7, "fixtures: " + docs.size());
    for (Doc d : docs) {
      for (ArgoConverter.Note n : d.result().notes()) {
        assertFalse(
            n.message().contains("not known to the converter"),
            d.file() + " " + d.result().what() + ": " + n);
      }
      if (d.result().output() == null) continue;
      LintCommand.Linted l = LintCommand.lint(yaml(d.result()), null);
      assertTrue(
          l.problems().isEmpty(),
          d.file() + " " + d.result().what() + ": " + l.problems() + "\n" + yaml(d.result()));
    }
  }

  @Test
  void everyFieldInTheGuidesTablesHasAFixture() throws IOException {
    Set<String> paths = new TreeSet<>();
    for (Doc d : fixtures()) flatten("", d.input(), paths);
    Matcher rows =
        Pattern.compile("(?m)^\\| `([^`]+)` \\| (?:`([^`]+)`|-) \\|")
            .matcher(Files.readString(GUIDE));
    List<String> missing = new ArrayList<>();
    int n = 0;
    while (rows.find()) {
      n++;
      String p = rows.group(1);
      boolean covered =
          paths.stream()
              .anyMatch(x -> x.equals(p) || x.startsWith(p + ".") || x.startsWith(p + "["));
      if (!covered) missing.add(p);
    }
    assertTrue(n >= 80, "the guide's tables have " + n + " rows");
    assertEquals(List.of(), missing, "fields in the guide without a fixture");
  }

  /** Paths as the guide writes them: lists as [], map keys joined by dots. */
  static void flatten(String prefix, Object o, Set<String> out) {
    if (o instanceof Map<?, ?> m) {
      m.forEach(
          (k, v) -> {
            String p = prefix.isEmpty() ? String.valueOf(k) : prefix + "." + k;
            out.add(p);
            flatten(p, v, out);
          });
    } else if (o instanceof List<?> l) {
      for (Object v : l) {
        out.add(prefix + "[]");
        flatten(prefix + "[]", v, out);
      }
    }
  }

  @Test
  void theGatewayApiCanaryKeepsItsStepsAndSaysWhatItLeftOut() throws IOException {
    ArgoConverter.Result r = doc(fixtures(), "Rollout shop").result();
    String y = yaml(r);
    assertTrue(y.contains("gatewayAPI:\n          httpRoutes:\n          - name: shop"), y);
    assertTrue(y.contains("backgroundAnalysis:"), y);
    assertTrue(y.contains("scaleDownDelay: 20s"), y);
    assertTrue(y.contains("value: ^beta\\..*"), y);
    assertTrue(y.contains("percent: 30"), y);
    assertTrue(y.contains("duration: 30s"), y);
    assertFalse(y.contains("rollout.argoproj.io"), y);
    List<String> notes = r.notes().stream().map(Object::toString).toList();
    for (String expected :
        List.of(
            "unmapped spec.minReadySeconds",
            "unmapped spec.strategy.canary.maxSurge",
            "changed spec.strategy.canary.analysis.startingStep",
            "todo spec.strategy.canary.steps[5].analysis.templates[1].clusterScope",
            "changed spec.strategy.canary.steps[5].analysis.args[1].valueFrom.podTemplateHashValue")) {
      assertTrue(notes.stream().anyMatch(n -> n.startsWith(expected)), expected + " in " + notes);
    }
    assertTrue(r.unmapped());
  }

  /**
   * A GRPCRoute canary: the route, the weights and the header segment carry over; the mirror step
   * cannot (Slipway mirrors HTTPRoutes only) and is listed, not dropped in silence.
   */
  @Test
  void aGrpcRouteCanaryKeepsItsWeightsAndSegmentAndListsWhatItCannotShape() throws IOException {
    ArgoConverter.Result r = doc(fixtures(), "Rollout cart").result();
    String y = yaml(r);
    assertTrue(y.contains("gatewayAPI:\n          grpcRoutes:\n          - name: cart"), y);
    assertFalse(y.contains("httpRoutes"), y);
    assertTrue(y.contains("setHeaderRoute"), y);
    assertTrue(y.contains("x-beta"), y);
    assertFalse(y.contains("setMirrorRoute"), y);
    assertTrue(y.contains("setWeight: 60"), y);
    List<String> notes = r.notes().stream().map(Object::toString).toList();
    assertTrue(
        notes.stream()
            .anyMatch(n -> n.startsWith("unmapped spec.strategy.canary.steps[3].setMirrorRoute")),
        notes.toString());
    assertFalse(
        notes.stream().anyMatch(n -> n.contains("useHeaderRoutes")),
        "useHeaderRoutes: true is what Slipway does: " + notes);
  }

  @Test
  void blueGreenAndWorkloadRefConvertAsTheGuideSays() throws IOException {
    List<Doc> docs = fixtures();
    String bg = yaml(doc(docs, "Rollout checkout").result());
    assertTrue(bg.contains("previewReplicas: 1"), bg);
    assertTrue(bg.contains("autoPromotionAfter: 120s"), bg);
    assertTrue(bg.contains("postPromotion:\n        window: 0s\n        analysis:"), bg);
    assertTrue(bg.contains("scaleDownDelay: 60s"), bg);

    ArgoConverter.Result api = doc(docs, "Rollout api").result();
    String y = yaml(api);
    assertFalse(y.contains("template:"), "the template stays the Deployment's: " + y);
    assertTrue(y.contains("workloadRef:\n    kind: Deployment\n    name: api"), y);
    assertTrue(y.contains("- setCanaryScale:\n          weight: 20"), y);
    assertTrue(y.contains("stableService: api-stable"), y);
    List<String> notes = api.notes().stream().map(Object::toString).toList();
    assertTrue(
        notes.contains(
            "todo spec.workloadRef: the Deployment must consent to adoption: annotate it slipway.dev/adopt-by=api (in Git, beside it)"),
        notes.toString());
    assertTrue(
        notes.stream()
            .anyMatch(n -> n.startsWith("unmapped spec.strategy.canary.steps[2].experiment")),
        notes.toString());
  }

  @Test
  void analysisTemplatesKeepPrometheusMetricsAndListTheRest() throws IOException {
    List<Doc> docs = fixtures();
    ArgoConverter.Result t = doc(docs, "AnalysisTemplate success-rate").result();
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> metrics =
        (List<Map<String, Object>>) ((Map<String, Object>) t.output().get("spec")).get("metrics");
    Map<String, Object> byName = new LinkedHashMap<>();
    for (Map<String, Object> m : metrics) byName.put((String) m.get("name"), m.get("threshold"));
    assertEquals(
        Map.of(
            "success-rate", Map.of("min", 0.95),
            "p99", Map.of("max", 0.5),
            "errors", Map.of("max", 10.0),
            "between", Map.of("min", 0.1, "max", 0.9),
            "web-check", Map.of("min", 1.0)),
        byName.entrySet().stream()
            .filter(e -> e.getValue() != null)
            .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
    assertEquals(Boolean.TRUE, metrics.get(1).get("dryRun"));
    String y = yaml(t);
    assertTrue(
        y.contains("service=\"{{args.service-name}}\"}[1m]))\n"),
        "spaces in {{ args.x }} go: " + y);
    assertTrue(y.contains("timeout: 20s"), y);
    assertTrue(
        y.contains(
            "job:\n      spec:\n        template:\n          spec:\n            containers:\n            - name: smoke\n              image: curlimages/curl"),
        "Argo's job metric is a Job check: " + y);
    List<String> notes = t.notes().stream().map(Object::toString).toList();
    for (String expected :
        List.of(
            "unmapped spec.metrics[4].successCondition: successCondition `all(result, {# > 0.5})`",
            "changed spec.metrics[5].successCondition: a Job check is judged by the Job's outcome",
            "changed spec.metrics[5].provider.job.spec.backoffLimit: unset",
            "unmapped spec.metrics[3].provider.prometheus.authentication",
            "changed spec.metrics[0].successCondition+failureCondition: values that pass neither condition were Inconclusive in Argo")) {
      assertTrue(notes.stream().anyMatch(n -> n.startsWith(expected)), expected + " in " + notes);
    }
    ArgoConverter.Result cluster = doc(docs, "ClusterAnalysisTemplate cluster-latency").result();
    String c = yaml(cluster);
    assertTrue(c.contains("kind: AnalysisTemplate"), c);
    assertTrue(c.contains("name: latency-p99"), c);
    assertTrue(c.contains("max: 1.5"), c);
    assertTrue(c.contains("count: 3") && c.contains("interval: 30s"), c);
    String webOnly = yaml(doc(docs, "AnalysisTemplate web-only").result());
    assertTrue(
        webOnly.contains("web:\n      url: http://shop.shop/health\n      jsonPath: $.ok"),
        webOnly);
    assertTrue(webOnly.contains("threshold:\n      min: 1.0"), webOnly);
    assertEquals("Service shop-stable", doc(docs, "Service shop-stable").result().what());
    assertTrue(doc(docs, "Service shop-stable").result().notes().isEmpty());
  }

  @Test
  void datadogNewRelicAndCloudWatchMetricsConvertWithTheirCredentialsAsTodos() throws IOException {
    ArgoConverter.Result t = doc(fixtures(), "AnalysisTemplate hosted").result();
    String y = yaml(t);
    assertTrue(y.contains("query: \"sum:requests.error.rate{service:{{args.service-name}}}\""), y);
    assertTrue(y.contains("window: 5m") && y.contains("aggregator: avg"), y);
    assertTrue(y.contains("resultField: successRate") && y.contains("min: 0.99"), y);
    assertTrue(y.contains("value: \"{{args.balancer}}\"") && y.contains("max: 0.01"), y);
    List<String> notes = t.notes().stream().map(Object::toString).toList();
    for (String expected :
        List.of(
            "todo spec.metrics[0].provider.datadog.secretRef",
            "todo spec.metrics[1].provider.newRelic.profile: Slipway reads the key from a Secret in the Rollout's namespace labelled slipway.dev/analysis-credentials=true: copy Argo's newrelic-prod Secret",
            "todo spec.metrics[2].provider.cloudWatch.metricDataQueries",
            "changed spec.metrics[2].successCondition")) {
      assertTrue(notes.stream().anyMatch(n -> n.startsWith(expected)), expected + " in " + notes);
    }
  }

  @Test
  void theCommandWritesTheManifestsAndExitsOneWhenSomethingIsNotMapped() throws IOException {
    var run =
        CliConventionsTest.run("convert", FIXTURES.resolve("canary-gateway-api.yaml").toString());
    assertEquals(1, run.exit(), run.err());
    assertTrue(
        run.out().startsWith("# unmapped metadata.annotations.rollout.argoproj.io/revision"),
        run.out());
    assertTrue(run.out().contains("apiVersion: slipway.dev/v1alpha1\nkind: Rollout\n"), run.out());
    assertTrue(run.err().contains("Rollout shop: unmapped spec.minReadySeconds: "), run.err());
    assertTrue(run.err().contains("1 document(s) with fields not mapped"), run.err());
    Path clean = Files.createTempFile("argo", ".yaml");
    Files.writeString(
        clean,
        """
        apiVersion: argoproj.io/v1alpha1
        kind: AnalysisTemplate
        metadata: {name: ok}
        spec:
          metrics:
          - name: ok
            successCondition: result[0] >= 0.99
            provider: {prometheus: {address: "http://prometheus:9090", query: "sum(up)"}}
        """);
    var ok = CliConventionsTest.run("convert", clean.toString());
    assertEquals(0, ok.exit(), ok.err());
    assertTrue(ok.err().contains("every field mapped"), ok.err());
    assertTrue(ok.out().contains("threshold:\n      min: 0.99"), ok.out());
  }

  @Test
  void conditionsInTheirCommonFormsAndTheRestRefused() throws Exception {
    record Case(String success, String failure, Double min, Double max) {}
    for (Case c :
        List.of(
            new Case("result[0] >= 0.95", null, 0.95, null),
            new Case("result >= 0.95", null, 0.95, null),
            new Case("0.95 <= result[0]", null, 0.95, null),
            new Case("result[0] < 2", null, null, 2.0),
            new Case("asFloat(result[0]) == 1", null, 1.0, 1.0),
            new Case("(result[0] >= 0.1 and result[0] <= 0.9)", null, 0.1, 0.9),
            new Case(null, "result[0] < 0.9", 0.9, null),
            new Case(null, "result[0] > 5 || result[0] < 1", 1.0, 5.0),
            new Case("isNaN(result[0]) || result[0] >= 0.5", null, 0.5, null),
            new Case("result[0] >= 0.95", "result[0] < 0.95", 0.95, null))) {
      ArgoConditions.Range r = ArgoConditions.combined(c.success(), c.failure());
      assertEquals(c.min(), r.min(), c.toString());
      assertEquals(c.max(), r.max(), c.toString());
    }
    assertTrue(
        ArgoConditions.combined("result[0] >= 0.95", "result[0] < 0.95").notes().isEmpty(),
        "complementary conditions need no note");
    for (String[] bad :
        new String[][] {
          {"result[0] >= 0.9 || result[0] <= 0.1", null},
          {"result[0] != 1", null},
          {null, "result[0] > 1 && result[0] < 5"},
          {null, "isNaN(result[0])"},
          {"all(result, {# > 0.5})", null},
          {null, null}
        }) {
      try {
        ArgoConditions.combined(bad[0], bad[1]);
        throw new AssertionError(
            "mapped: " + String.join(" / ", String.valueOf(bad[0]), String.valueOf(bad[1])));
      } catch (ArgoConditions.Unmappable expected) {
        assertTrue(expected.getMessage().contains("threshold"), expected.getMessage());
      }
    }
  }
}
