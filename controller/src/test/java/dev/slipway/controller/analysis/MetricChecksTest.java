package dev.slipway.controller.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.api.v1alpha1.BurnRateSpec;
import dev.slipway.api.v1alpha1.MetricDef;
import dev.slipway.api.v1alpha1.PrometheusSpec;
import dev.slipway.api.v1alpha1.SegmentMatch;
import dev.slipway.api.v1alpha1.SloSpec;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The checks lint and a starting run make, and the patterns the CRD's CEL rules are built from. */
class MetricChecksTest {
  @Test
  void aZeroPeriodOrWindowIsNamedByItsField() {
    assertEquals(
        "m.period: must be longer than 0, e.g. 30d",
        MetricChecks.sloProblem("m", new SloSpec(0.999, "0s", null)));
    assertEquals(
        "m.period: must be longer than 0, e.g. 30d",
        MetricChecks.sloProblem("m", new SloSpec(0.999, "0d", null)));
    assertEquals(
        "m.burnRates[0].shortWindow: must be at least 1s, e.g. 5m",
        MetricChecks.sloProblem(
            "m", new SloSpec(0.999, null, List.of(new BurnRateSpec(14.4, "1h", "0s")))));
    assertEquals(
        "m.burnRates[0].longWindow: must be at least 1s, e.g. 1h",
        MetricChecks.sloProblem(
            "m", new SloSpec(0.999, null, List.of(new BurnRateSpec(14.4, "500ms", "100ms")))));
    assertEquals(
        "m.burnRates[0].shortWindow: must not exceed longWindow",
        MetricChecks.sloProblem(
            "m", new SloSpec(0.999, null, List.of(new BurnRateSpec(14.4, "5m", "1h")))));
    assertNull(
        MetricChecks.sloProblem(
            "m", new SloSpec(0.999, "30d", List.of(new BurnRateSpec(14.4, "1h", "5m")))));
    assertNull(MetricChecks.sloProblem("m", new SloSpec(0.999, null, null)));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://169.254.169.254",
        "http://169.254.169.254:80/latest",
        "http://[fe80::1]:9090",
        "http://metadata.google.internal",
        "http://metadata/computeMetadata",
        "https://kubernetes.default.svc",
        "https://kubernetes.default.svc.cluster.local:443",
        "http://kubernetes:443",
        "http://100.100.100.200",
        "http://[fd00:ec2::254]:80"
      })
  void theCelRuleRefusesTheLiteralSpellings(String address) {
    assertTrue(PrometheusSpec.refusedAtAdmission(address), address);
    PrometheusSpec p = new PrometheusSpec(address, null, null, null, null, null, null, null);
    assertFalse(MetricChecks.problems("spec", List.of(), p).isEmpty(), address);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://prometheus.monitoring:9090",
        "http://127.0.0.1:9090",
        "http://kubernetes-metrics.example.com",
        "http://metadata-store.internal:9090",
        "https://thanos.example.com/api",
        "http://169.25.4.1"
      })
  void theCelRuleLetsOrdinaryAddressesBe(String address) {
    assertFalse(PrometheusSpec.refusedAtAdmission(address), address);
    assertEquals(
        List.of(),
        MetricChecks.problems(
            "spec",
            List.of(),
            new PrometheusSpec(address, null, null, null, null, null, null, null)));
  }

  /** Issue 30: a hosted provider's counts queries are checked where they stand, by field. */
  @Test
  void aCountQueryThatSetsItsOwnWindowOrPutsAnArgOutsideAStringIsNamedByItsField() {
    MetricDef m =
        io.fabric8.kubernetes.client.utils.Serialization.unmarshal(
            """
            name: m
            newRelic: {accountId: 1, apiKey: {name: nr, key: k}}
            sequential:
              errors: {minDetectableEffect: 0.01}
              counts:
                requests: "SELECT count(*) FROM T WHERE a = '{{args.revision}}' SINCE 1 hour ago"
                errors: "SELECT count(*) FROM T WHERE b = {{args.revision}}"
            """,
            MetricDef.class);
    List<String> problems = MetricChecks.problems("spec", List.of(m), null);
    assertEquals(2, problems.size(), problems.toString());
    assertEquals(
        "spec.metrics[0].sequential.counts.requests: a count query leaves its window to the look:"
            + " drop SINCE",
        problems.get(0));
    assertTrue(
        problems.get(1).startsWith("spec.metrics[0].sequential.counts.errors: {{args.revision}}"),
        problems.get(1));
  }

  /** CloudWatch's counts are its queries: an arg only in a dimension's value, named by field. */
  @Test
  void cloudWatchCountsTakeArgsInDimensionValuesOnly() {
    MetricDef m =
        io.fabric8.kubernetes.client.utils.Serialization.unmarshal(
            """
            name: m
            cloudWatch:
              region: eu-west-1
              credentials: {secretName: aws}
              queries:
              - id: requests
                metricStat:
                  metric:
                    namespace: Shop
                    metricName: Requests
                    dimensions: [{name: Revision, value: "{{args.revision}}"}]
                  period: 10
                  stat: Sum
              - id: errors
                expression: "SUM(SEARCH('Revision={{args.revision}}', 'Sum', 10))"
            sequential:
              errors: {minDetectableEffect: 0.01}
              counts: {}
            """,
            MetricDef.class);
    List<String> problems = MetricChecks.problems("spec", List.of(m), null);
    assertEquals(1, problems.size(), problems.toString());
    assertTrue(
        problems
            .get(0)
            .startsWith(
                "spec.metrics[0].cloudWatch.queries: {{args.revision}} may stand only in a"
                    + " dimension's value"),
        problems.get(0));
  }

  @Test
  void theCelListsAreTheJavaLists() {
    assertEquals(
        PrometheusSpec.cel(PrometheusSpec.NEVER_QUERIED_HOSTS),
        PrometheusSpec.NEVER_QUERIED_HOSTS_CEL);
    assertEquals(
        PrometheusSpec.cel(PrometheusSpec.NEVER_QUERIED_PREFIXES),
        PrometheusSpec.NEVER_QUERIED_PREFIXES_CEL);
  }

  /** Spellings CEL's prefix rule lets by are still refused by lint and when a run starts. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "HTTP://Metadata.Google.Internal",
        "http://[::ffff:169.254.169.254]",
        "http://Kubernetes.Default.Svc:443"
      })
  void otherSpellingsAreLeftToLintAndTheRuntimePolicy(String address) {
    assertFalse(PrometheusSpec.refusedAtAdmission(address), address);
    assertFalse(
        MetricChecks.problems(
                "spec",
                List.of(),
                new PrometheusSpec(address, null, null, null, null, null, null, null))
            .isEmpty(),
        address);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"x-api-key", "x-auth-token", "sessionid", "x-client-secret", "x-password"})
  void credentialLikeNamesMatch(String name) {
    assertTrue(Pattern.compile(SegmentMatch.CREDENTIAL_LIKE).matcher(name).find(), name);
  }

  @ParameterizedTest
  @ValueSource(strings = {"x-canary", "x-user-group", "beta", "x-region"})
  void ordinarySegmentNamesDoNot(String name) {
    assertFalse(Pattern.compile(SegmentMatch.CREDENTIAL_LIKE).matcher(name).find(), name);
  }
}
