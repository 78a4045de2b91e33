package dev.slipway.controller.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.analysis.spec.Better;
import dev.slipway.analysis.spec.Credentials;
import dev.slipway.analysis.spec.MetricSpec;
import dev.slipway.analysis.spec.Query;
import dev.slipway.analysis.spec.Threshold;
import dev.slipway.api.v1alpha1.AnalysisArg;
import dev.slipway.api.v1alpha1.AnalysisStep;
import dev.slipway.api.v1alpha1.AnalysisTemplate;
import dev.slipway.api.v1alpha1.AnalysisTemplateSpec;
import dev.slipway.api.v1alpha1.BaselineSpec;
import dev.slipway.api.v1alpha1.MetricDef;
import dev.slipway.api.v1alpha1.PrometheusAuth;
import dev.slipway.api.v1alpha1.PrometheusSpec;
import dev.slipway.api.v1alpha1.Rollout;
import dev.slipway.api.v1alpha1.SecretKeyRef;
import dev.slipway.api.v1alpha1.SloSpec;
import dev.slipway.api.v1alpha1.TemplateRef;
import dev.slipway.api.v1alpha1.ThresholdSpec;
import dev.slipway.controller.reconcile.ClusterFixture;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AnalysisPlansTest {
  static final PrometheusSpec PROM =
      new PrometheusSpec(
          "http://prometheus.monitoring:9090",
          null,
          null,
          "5s",
          new PrometheusAuth(new SecretKeyRef("prom", "token"), null),
          null,
          null,
          null);

  final Map<String, AnalysisTemplate> templates = new HashMap<>();
  final Map<String, Map<String, String>> secrets =
      new HashMap<>(Map.of("prom", Map.of("token", "s3cr3t\n")));
  final AnalysisPlans plans =
      new AnalysisPlans(
          new AnalysisSources() {
            public AnalysisTemplate template(String ns, String name) {
              return templates.get(name);
            }

            public Map<String, String> secret(String ns, String name) {
              return secrets.get(name);
            }
          });

  static MetricDef metric(
      String name, MetricDef.BuiltinMetric builtin, String query, ThresholdSpec t, BaselineSpec b) {
    return new MetricDef(
        name, builtin, null, null, query, null, t, b, "10s", 3, null, null, null, null, null, null);
  }

  void template(String name, List<AnalysisArg> args, MetricDef... metrics) {
    AnalysisTemplate t = new AnalysisTemplate();
    t.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("shop").build());
    t.setSpec(new AnalysisTemplateSpec(args, PROM, List.of(metrics)));
    templates.put(name, t);
  }

  static Rollout rollout() {
    Rollout r = new Rollout();
    r.setMetadata(
        new ObjectMetaBuilder().withName("web").withNamespace("shop").withUid("u1").build());
    r.setSpec(ClusterFixture.spec("web:1"));
    return r;
  }

  @Test
  void templatesInlineMetricsArgsAndSecretsResolve() throws Exception {
    template(
        "sr",
        List.of(new AnalysisArg("route", null), new AnalysisArg("quantile", "0.99")),
        metric(
            "success-rate",
            MetricDef.BuiltinMetric.successRate,
            null,
            new ThresholdSpec(0.99, null),
            null));
    AnalysisStep step =
        new AnalysisStep(
            List.of(new TemplateRef("sr")),
            List.of(
                metric(
                    "custom",
                    null,
                    "sum(x{route=\"{{args.route}}\"})",
                    null,
                    new BaselineSpec(BaselineSpec.Direction.Lower, null, 0.2, null))),
            List.of(new AnalysisArg("route", "/checkout")),
            PROM);
    AnalysisPlans.Plan plan = plans.resolve(rollout(), step, "s1", "c1");
    assertEquals(
        List.of("success-rate", "custom"), plan.metrics().stream().map(MetricSpec::name).toList());
    MetricSpec sr = plan.metrics().get(0);
    assertEquals(new Query.SuccessRate(), sr.query());
    assertEquals(Duration.ofSeconds(10), sr.schedule().interval());
    assertEquals(3, sr.schedule().count());
    assertEquals(Duration.ofMinutes(1), sr.window());
    assertEquals(Duration.ofSeconds(5), sr.prometheus().timeout());
    assertEquals(new Credentials.Bearer("s3cr3t"), sr.prometheus().credentials());
    assertFalse(sr.prometheus().toString().contains("s3cr3t"));
    assertEquals(Better.LOWER, plan.metrics().get(1).baseline().better());
    assertEquals("/checkout", plan.args().extra().get("route"));
    assertEquals("0.99", plan.args().extra().get("quantile"));
    assertEquals("c1", plan.args().canaryHash());
    assertEquals("demo-stable", plan.args().stableService());
  }

  @Test
  void anSloBurnRateGetsTheWorkbookConditionsForItsPeriodAndAnImpliedLimitOfOne() throws Exception {
    MetricDef burn =
        new MetricDef(
            "budget",
            MetricDef.BuiltinMetric.sloBurnRate,
            new SloSpec(0.9995, "30d", null),
            null,
            null,
            null,
            null,
            null,
            "1m",
            5,
            null,
            null,
            null,
            null,
            null,
            null);
    AnalysisPlans.Plan plan =
        plans.resolve(rollout(), new AnalysisStep(null, List.of(burn), null, PROM), "s1", "c1");
    MetricSpec m = plan.metrics().get(0);
    Query.SloBurnRate q = (Query.SloBurnRate) m.query();
    assertEquals(0.9995, q.target());
    assertEquals(14.4, q.rules().get(0).factor(), 1e-9);
    assertEquals(Duration.ofHours(1), q.rules().get(0).longWindow());
    assertEquals(Duration.ofMinutes(5), q.rules().get(0).shortWindow());
    assertEquals(6.0, q.rules().get(1).factor(), 1e-9);
    assertEquals(Duration.ofHours(6), q.rules().get(1).longWindow());
    assertEquals(Threshold.atMost(1.0), m.threshold());
    // A 7-day SLO's budget is smaller: 2% of it within an hour is a burn of 3.36.
    MetricDef week =
        new MetricDef(
            "budget",
            MetricDef.BuiltinMetric.sloBurnRate,
            new SloSpec(0.999, "7d", null),
            null,
            null,
            null,
            null,
            null,
            "1m",
            5,
            null,
            null,
            null,
            null,
            null,
            null);
    Query.SloBurnRate w =
        (Query.SloBurnRate)
            plans
                .resolve(rollout(), new AnalysisStep(null, List.of(week), null, PROM), "s1", "c1")
                .metrics()
                .get(0)
                .query();
    assertEquals(3.36, w.rules().get(0).factor(), 1e-9);
  }

  @Test
  void problemsAreNamed() {
    template(
        "needs-arg",
        List.of(new AnalysisArg("route", null)),
        metric(
            "m", MetricDef.BuiltinMetric.successRate, null, new ThresholdSpec(0.99, null), null));
    assertMessage("AnalysisTemplate shop/missing not found", AnalysisStep.templates("missing"));
    assertMessage(
        "template needs-arg: arg route has no value", AnalysisStep.templates("needs-arg"));
    secrets.clear();
    assertMessage(
        "Secret shop/prom not found",
        new AnalysisStep(
            null,
            List.of(
                metric(
                    "m",
                    MetricDef.BuiltinMetric.latencyP99,
                    null,
                    new ThresholdSpec(null, 0.5),
                    null)),
            null,
            PROM));
    assertMessage(
        "no provider (set prometheus",
        new AnalysisStep(
            null,
            List.of(
                metric(
                    "m",
                    MetricDef.BuiltinMetric.latencyP99,
                    null,
                    new ThresholdSpec(null, 0.5),
                    null)),
            null,
            null));
    PrometheusSpec open =
        new PrometheusSpec("http://p:9090", null, null, null, null, null, null, null);
    assertMessage(
        "metric m is defined twice",
        new AnalysisStep(
            null,
            List.of(
                metric(
                    "m",
                    MetricDef.BuiltinMetric.latencyP99,
                    null,
                    new ThresholdSpec(null, 0.5),
                    null),
                metric(
                    "m",
                    MetricDef.BuiltinMetric.successRate,
                    null,
                    new ThresholdSpec(0.9, null),
                    null)),
            null,
            open));
  }

  void assertMessage(String part, AnalysisStep step) {
    AnalysisConfigException e =
        assertThrows(AnalysisConfigException.class, () -> plans.resolve(rollout(), step, "s", "c"));
    assertTrue(e.getMessage().contains(part), e.getMessage());
    assertFalse(e.getMessage().contains("s3cr3t"));
  }

  /**
   * The shipped CloudWatch sample's sequential metric: its counts are its own queries with ids
   * requests and errors, each asked alone and returning its data.
   */
  @Test
  void aSequentialCloudWatchMetricCountsThroughItsRequestsAndErrorsQueries() throws Exception {
    AnalysisTemplate t =
        io.fabric8.kubernetes.client.utils.Serialization.unmarshal(
            java.nio.file.Files.readString(
                java.nio.file.Path.of("../samples/analysis/cloudwatch.yaml")),
            AnalysisTemplate.class);
    t.getMetadata().setNamespace("shop");
    templates.put(t.getMetadata().getName(), t);
    secrets.put(
        "cloudwatch-reader",
        Map.of("aws_access_key_id", "AKIDEXAMPLE", "aws_secret_access_key", "s3cr3t"));
    AnalysisPlans.Plan plan =
        plans.resolve(
            rollout(),
            new AnalysisStep(
                List.of(new TemplateRef(t.getMetadata().getName())),
                null,
                List.of(new AnalysisArg("targetGroup", "tg/1")),
                null),
            "s1",
            "c1");
    MetricSpec m =
        plan.metrics().stream()
            .filter(x -> x.name().equals("errors-sequential"))
            .findFirst()
            .orElseThrow();
    var counts = ((Query.Sequential) m.query()).spec().counts();
    assertTrue(counts.requests().startsWith("[{\"id\":\"requests\""), counts.requests());
    assertTrue(counts.requests().contains("\"returnData\":true"), counts.requests());
    assertFalse(counts.requests().contains("errors"), counts.requests());
    assertTrue(counts.errors().contains("\"metricName\":\"Errors\""), counts.errors());
    assertEquals(Duration.ofMinutes(1), counts.ingestDelay());
    assertEquals("cloudWatch", m.provider().kind());
  }
}
