package dev.slipway.analysis.prometheus;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.slipway.analysis.Verdict;
import dev.slipway.analysis.judge.Measurement;
import dev.slipway.analysis.promql.AnalysisArgs;
import dev.slipway.analysis.spec.Query;
import dev.slipway.analysis.spec.QueryProfile;
import dev.slipway.analysis.spec.Threshold;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Error-budget burn against a real Prometheus with backfilled series: a canary that passes a raw
 * success-rate threshold can still burn a 99.95% SLO's budget far too fast, and is Failed.
 */
@Tag("host-tools")
class SloBurnRateRealPrometheusTest {
  static final Instant END = ProfilesRealPrometheusTest.END;

  /** The workbook's paging pair for a 30-day SLO: 14.4x over 1h and 5m, 6x over 6h and 30m. */
  static final Query.SloBurnRate SLO =
      new Query.SloBurnRate(
          0.9995,
          List.of(
              new Query.BurnRule(14.4, Duration.ofHours(1), Duration.ofMinutes(5)),
              new Query.BurnRule(6, Duration.ofHours(6), Duration.ofMinutes(30))));

  /** http_requests_total{code} for one revision, at a steady rate and error ratio. */
  static String requests(String hash, double rps, double errorRatio, Instant from) {
    String base = "namespace=\"shop\",slipway_pod_template_hash=\"" + hash + "\"";
    List<String> lines = new ArrayList<>(List.of("# TYPE http_requests counter"));
    lines.addAll(
        OpenMetrics.counter(
            "http_requests_total",
            base + ",code=\"200\"",
            rps * (1 - errorRatio),
            from,
            END,
            Duration.ofSeconds(15)));
    lines.addAll(
        OpenMetrics.counter(
            "http_requests_total",
            base + ",code=\"500\"",
            rps * errorRatio,
            from,
            END,
            Duration.ofSeconds(15)));
    return String.join("\n", lines);
  }

  static AnalysisArgs canary(String hash) {
    return new AnalysisArgs("web", "shop", "stable", hash, "web-stable", "web-canary", Map.of());
  }

  @Test
  void aCanaryWithinTheRawThresholdButBurningTheBudgetFails() throws Exception {
    PrometheusServer.requireInstalled();
    Instant from = END.minus(Duration.ofHours(2));
    // 1% errors: success rate 0.99 passes "at least 0.98"; against a 0.05% budget it burns 20x.
    String data =
        requests("burning", 10, 0.01, from)
            + "\n"
            + requests("healthy", 10, 0.0001, from).replace("# TYPE http_requests counter\n", "")
            + "\n# EOF\n";
    try (PrometheusServer p = PrometheusServer.withBackfill(data, null)) {
      Measurement raw =
          ProfilesRealPrometheusTest.measure(
              p,
              QueryProfile.PrometheusClient,
              new Query.SuccessRate(),
              Threshold.atLeast(0.98),
              canary("burning"));
      assertEquals(Verdict.Successful, raw.verdict(), raw.reason());
      assertEquals(0.99, raw.value(), 1e-6);

      Measurement burn =
          ProfilesRealPrometheusTest.measure(
              p, QueryProfile.PrometheusClient, SLO, Threshold.atMost(1.0), canary("burning"));
      assertEquals(Verdict.Failed, burn.verdict(), burn.reason());
      // burn rate 0.01 / 0.0005 = 20; the worst condition is 6x: 20 / 6.
      assertEquals(20.0 / 6, burn.value(), 1e-3);
      System.out.printf(
          "success rate %.4f passes >= 0.98; SLO 99.95%% burn: worst condition at %.2fx its allowed rate -> %s%n",
          raw.value(), burn.value(), burn.verdict());

      Measurement healthy =
          ProfilesRealPrometheusTest.measure(
              p, QueryProfile.PrometheusClient, SLO, Threshold.atMost(1.0), canary("healthy"));
      assertEquals(Verdict.Successful, healthy.verdict(), healthy.reason());
      assertEquals(0.2 / 6, healthy.value(), 1e-3);

      Measurement none =
          ProfilesRealPrometheusTest.measure(
              p, QueryProfile.PrometheusClient, SLO, Threshold.atMost(1.0), canary("absent"));
      assertEquals(
          Verdict.Inconclusive,
          none.verdict(),
          "no requests is no data, never a pass: " + none.reason());
    }
  }
}
