package dev.slipway.controller.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.analysis.promql.AnalysisArgs;
import dev.slipway.analysis.provider.MetricProvider;
import dev.slipway.analysis.provider.QueryOutcome;
import dev.slipway.analysis.sequential.PowerPlan;
import dev.slipway.analysis.spec.DatadogTarget;
import dev.slipway.analysis.spec.MetricSpec;
import dev.slipway.analysis.spec.Query;
import dev.slipway.analysis.spec.Schedule;
import dev.slipway.analysis.spec.SequentialSpec;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A step whose sequential metric counts through a hosted provider is planned from that provider's
 * counts of the stable (requests and errors over the planning window, ending the ingest delay ago),
 * never through PromQL, which such a provider does not speak.
 */
class HostedPowerPlanTest {
  static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");
  static final AnalysisArgs ARGS =
      new AnalysisArgs(
          "shop", "prod", "stable1", "canary2", "shop-stable", "shop-canary", Map.of());
  static final SequentialSpec SPEC =
      new SequentialSpec(
          0.05,
          0.8,
          new SequentialSpec.ErrorTest(0.01),
          null,
          Duration.ofMinutes(10),
          Duration.ofMinutes(10),
          new SequentialSpec.CountQueries(
              "sum:hits{version:{{args.revision}}}.as_count()",
              "sum:errors{version:{{args.revision}}}.as_count()",
              Duration.ofMinutes(1)));
  static final MetricSpec METRIC =
      new MetricSpec(
          "errors",
          new Query.Sequential(SPEC),
          Duration.ofMinutes(1),
          null,
          null,
          Schedule.every(Duration.ofSeconds(30), 20),
          false,
          new DatadogTarget(
              URI.create("http://127.0.0.1:1"), DatadogTarget.Version.V2, "avg", "a", "b", null));

  static MetricProvider counting(List<String> asked, QueryOutcome requests, QueryOutcome errors) {
    return new MetricProvider() {
      @Override
      public QueryOutcome count(String query, Instant from, Instant to) {
        asked.add(query + " " + from + " " + to);
        return query.startsWith("sum:hits") ? requests : errors;
      }

      @Override
      public QueryOutcome instant(String query, Instant at) {
        throw new AssertionError("no PromQL for a hosted provider: " + query);
      }

      @Override
      public QueryOutcome vector(String query, Instant at) {
        throw new AssertionError("no PromQL for a hosted provider: " + query);
      }

      @Override
      public QueryOutcome range(String q, Instant s, Instant e, Duration step) {
        throw new AssertionError();
      }

      @Override
      public String address() {
        return "http://127.0.0.1:1";
      }
    };
  }

  static PowerPlan plan(MetricProvider p) {
    return new PowerPlanner(null, source -> p, Clock.fixed(NOW, ZoneOffset.UTC))
        .plan(0, 20, METRIC, SPEC, ARGS, NOW);
  }

  @Test
  void theStablesCountsOverThePlanningWindowGiveItsRateAndErrorShare() {
    List<String> asked = new ArrayList<>();
    PowerPlan p =
        plan(counting(asked, new QueryOutcome.Value(60_000), new QueryOutcome.Value(300)));
    assertEquals(
        List.of(
            "sum:hits{version:stable1}.as_count() 2026-12-06T11:49:00Z 2026-12-06T11:59:00Z",
            "sum:errors{version:stable1}.as_count() 2026-12-06T11:49:00Z 2026-12-06T11:59:00Z"),
        asked);
    // 100 req/s on the stable, a fifth to the canary at weight 20.
    assertEquals(20, p.canaryRps(), 1e-9, p.toString());
    assertTrue(p.errorsMde() != null && p.errorsMde() > 0, p.toString());
  }

  @Test
  void anOutageIsSaidAndNothingIsPlanned() {
    PowerPlan p =
        plan(
            counting(
                new ArrayList<>(),
                new QueryOutcome.Failure("datadog answered 503"),
                new QueryOutcome.Value(0)));
    assertFalse(p.meets(), p.toString());
    assertTrue(p.message().contains("cannot plan: datadog answered 503"), p.toString());
  }
}
