package dev.slipway.controller.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.analysis.provider.AddressPolicy;
import dev.slipway.analysis.spec.DatadogTarget;
import dev.slipway.analysis.spec.Query;
import dev.slipway.api.v1alpha1.AnalysisStep;
import dev.slipway.api.v1alpha1.AnalysisTemplate;
import dev.slipway.api.v1alpha1.CloudWatchSpec;
import dev.slipway.api.v1alpha1.DatadogSpec;
import dev.slipway.api.v1alpha1.MetricDef;
import dev.slipway.api.v1alpha1.NewRelicSpec;
import dev.slipway.api.v1alpha1.PrometheusAuth;
import dev.slipway.api.v1alpha1.PrometheusSpec;
import dev.slipway.api.v1alpha1.SecretKeyRef;
import dev.slipway.api.v1alpha1.ThresholdSpec;
import dev.slipway.api.v1alpha1.WebMetric;
import java.net.InetAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A refused provider address never learns a Secret; credentials outside the opt-in are refused by
 * name.
 */
class CredentialBoundaryTest {
  final List<String> secretsRead = new ArrayList<>();
  final AddressPolicy policy =
      AddressPolicy.of(
          "",
          "10.96.0.1",
          host ->
              List.of(
                  InetAddress.getByName(
                      host.equals("metadata.example")
                          ? "169.254.169.254"
                          : host.startsWith("api.") || host.startsWith("monitoring.")
                              ? "203.0.113.7"
                              : "10.1.2.3")));

  AnalysisPlans plans(RuntimeException onSecret) {
    return new AnalysisPlans(
        new AnalysisSources() {
          public AnalysisTemplate template(String ns, String name) {
            return null;
          }

          public Map<String, String> secret(String ns, String name) {
            secretsRead.add(ns + "/" + name);
            if (onSecret != null) throw onSecret;
            return Map.of("token", "s3cr3t");
          }

          public String providerRefusal(URI address) {
            return policy.refusal(address);
          }
        });
  }

  static AnalysisStep step(String address) {
    PrometheusSpec prom =
        new PrometheusSpec(
            address,
            null,
            null,
            "5s",
            new PrometheusAuth(new SecretKeyRef("prom", "token"), null),
            null,
            null,
            null);
    MetricDef m =
        new MetricDef(
            "m",
            MetricDef.BuiltinMetric.successRate,
            null,
            null,
            null,
            null,
            new ThresholdSpec(0.9, null),
            null,
            "10s",
            1,
            null,
            null,
            null,
            null,
            null,
            null);
    return new AnalysisStep(null, List.of(m), null, prom);
  }

  @Test
  void aRefusedAddressFailsTheRunBeforeAnySecretIsRead() {
    AnalysisConfigException e =
        assertThrows(
            AnalysisConfigException.class,
            () ->
                plans(null)
                    .resolve(
                        AnalysisPlansTest.rollout(), step("http://metadata.example:80"), "s", "c"));
    assertTrue(
        e.getMessage().contains("provider refused by policy")
            && e.getMessage().contains("169.254.169.254"),
        e.getMessage());
    assertEquals(List.of(), secretsRead, "the Secret was never read for a refused address");
  }

  @Test
  void aSecretNotOptedInIsRefusedByName() {
    AnalysisConfigException e =
        assertThrows(
            AnalysisConfigException.class,
            () ->
                plans(
                        new CredentialsRefused(
                            "Secret shop/prom is not marked for analysis credentials"))
                    .resolve(AnalysisPlansTest.rollout(), step("http://prom:9090"), "s", "c"));
    assertTrue(
        e.getMessage().endsWith("Secret shop/prom is not marked for analysis credentials"),
        e.getMessage());
  }

  static AnalysisStep webStep(String url) {
    MetricDef m =
        new MetricDef(
            "smoke",
            null,
            null,
            null,
            null,
            null,
            new ThresholdSpec(0.99, null),
            null,
            "10s",
            1,
            null,
            null,
            null,
            null,
            null,
            null,
            new WebMetric(
                url,
                null,
                null,
                List.of(
                    new WebMetric.WebHeader("Authorization", new SecretKeyRef("prom", "token"))),
                "$.data.successRate",
                "5s"));
    return new AnalysisStep(null, List.of(m), null, null);
  }

  @Test
  void aWebCheckToARefusedAddressFailsTheRunBeforeAnySecretIsRead() {
    AnalysisConfigException e =
        assertThrows(
            AnalysisConfigException.class,
            () ->
                plans(null)
                    .resolve(
                        AnalysisPlansTest.rollout(),
                        webStep("http://metadata.example/latest?rev={{args.revision}}"),
                        "s",
                        "c"));
    assertTrue(
        e.getMessage().contains("web check refused by policy")
            && e.getMessage().contains("169.254.169.254"),
        e.getMessage());
    assertEquals(List.of(), secretsRead, "the Secret was never read for a refused address");
  }

  @Test
  void aWebCheckReadsItsHeadersFromTheOptedInSecretAndHasNoPrometheus() throws Exception {
    var plan =
        plans(null)
            .resolve(
                AnalysisPlansTest.rollout(),
                webStep("http://smoke.shop.svc:8080/verdict?rev={{args.revision}}"),
                "s",
                "c");
    var m = plan.metrics().get(0);
    assertTrue(m.query() instanceof Query.Web, m.toString());
    Query.Web web = (Query.Web) m.query();
    assertEquals(Map.of("Authorization", "s3cr3t"), web.check().headers());
    assertEquals(
        "GET http://smoke.shop.svc:8080/verdict $.data.successRate", web.check().describe());
    assertEquals(List.of("shop/prom"), secretsRead);
    assertEquals(dev.slipway.analysis.spec.MetricSource.Web.INSTANCE, m.provider());
  }

  static AnalysisStep hostedStep(DatadogSpec datadog, NewRelicSpec newRelic, String query) {
    MetricDef m =
        new MetricDef(
            "errors",
            null,
            null,
            null,
            query,
            "2m",
            new ThresholdSpec(null, 0.01),
            null,
            "10s",
            1,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            datadog,
            newRelic,
            null);
    // A step Prometheus too: the metric's own provider wins over it.
    return new AnalysisStep(
        null,
        List.of(m),
        null,
        new PrometheusSpec("http://prom:9090", null, null, null, null, null, null, null));
  }

  static DatadogSpec datadog(String address) {
    return new DatadogSpec(
        "datadoghq.eu",
        address,
        null,
        DatadogSpec.Aggregator.avg,
        new SecretKeyRef("dd", "token"),
        new SecretKeyRef("dd-app", "token"),
        "5s");
  }

  @Test
  void aDatadogMetricReadsBothKeysFromOptedInSecretsAndAsksTheSitesApi() throws Exception {
    var plan =
        plans(null)
            .resolve(
                AnalysisPlansTest.rollout(),
                hostedStep(datadog(null), null, "sum:errors{version:{{args.revision}}}.as_count()"),
                "s",
                "c");
    var t = (DatadogTarget) plan.metrics().get(0).provider();
    assertEquals(URI.create("https://api.datadoghq.eu"), t.address());
    assertEquals("s3cr3t", t.apiKey());
    assertEquals("avg", t.aggregator());
    assertEquals(List.of("shop/dd", "shop/dd-app"), secretsRead);
    assertTrue(!plan.metrics().get(0).toString().contains("s3cr3t"));
  }

  @Test
  void aHostedProviderAtARefusedAddressNeverLearnsItsKeys() {
    AnalysisConfigException e =
        assertThrows(
            AnalysisConfigException.class,
            () ->
                plans(null)
                    .resolve(
                        AnalysisPlansTest.rollout(),
                        hostedStep(
                            null,
                            new NewRelicSpec(
                                42L,
                                null,
                                "http://metadata.example/graphql",
                                new SecretKeyRef("nr", "token"),
                                null,
                                null),
                            "SELECT count(*) FROM Transaction"),
                        "s",
                        "c"));
    assertTrue(e.getMessage().contains("newRelic refused by policy"), e.getMessage());
    assertEquals(List.of(), secretsRead);
  }

  @Test
  void aHostedProviderWithoutAQueryOrWithAMisplacedArgIsNamed() {
    AnalysisConfigException none =
        assertThrows(
            AnalysisConfigException.class,
            () ->
                plans(null)
                    .resolve(
                        AnalysisPlansTest.rollout(),
                        hostedStep(datadog(null), null, null),
                        "s",
                        "c"));
    assertTrue(none.getMessage().contains("set query"), none.getMessage());
    assertEquals(
        List.of(
            "step.metrics[0].query: {{args.revision}} must be inside a single-quoted string, like appName = '{{args.revision}}'"),
        MetricChecks.problems(
            "step",
            hostedStep(
                null,
                new NewRelicSpec(42L, null, null, new SecretKeyRef("nr", "token"), null, null),
                "SELECT count(*) FROM Transaction WHERE version = {{args.revision}}")));
  }

  @Test
  void aCloudWatchMetricSignsWithKeysFromItsSecretAndItsQueriesAreTheQuery() throws Exception {
    CloudWatchSpec cw =
        new CloudWatchSpec(
            "eu-west-1",
            null,
            new CloudWatchSpec.Credentials("aws", "token", "token", null),
            List.of(
                new CloudWatchSpec.Query(
                    "requests",
                    null,
                    new CloudWatchSpec.MetricStat(
                        new CloudWatchSpec.MetricId(
                            "AWS/ApplicationELB",
                            "RequestCount",
                            List.of(
                                new CloudWatchSpec.Dimension("TargetGroup", "{{args.service}}"))),
                        60,
                        "Sum",
                        null),
                    null,
                    null)),
            null);
    MetricDef m =
        new MetricDef(
            "requests",
            null,
            null,
            null,
            null,
            "5m",
            new ThresholdSpec(1.0, null),
            null,
            "10s",
            1,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            cw);
    var plan =
        plans(null)
            .resolve(
                AnalysisPlansTest.rollout(),
                new AnalysisStep(null, List.of(m), null, null),
                "s",
                "c");
    var spec = plan.metrics().get(0);
    var t = (dev.slipway.analysis.spec.CloudWatchTarget) spec.provider();
    assertEquals(URI.create("https://monitoring.eu-west-1.amazonaws.com"), t.address());
    assertEquals("s3cr3t", t.secretAccessKey());
    assertTrue(
        ((Query.Custom) spec.query()).template().contains("\"value\":\"{{args.service}}\""),
        spec.query().toString());
    assertEquals(List.of("shop/aws", "shop/aws"), secretsRead);
  }
}
