package dev.slipway.controller.analysis;

import dev.slipway.analysis.promql.AnalysisArgs;
import dev.slipway.analysis.promql.BuiltinQueries;
import dev.slipway.analysis.promql.CounterQueries;
import dev.slipway.analysis.promql.Side;
import dev.slipway.analysis.provider.MetricProvider;
import dev.slipway.analysis.provider.QueryOutcome;
import dev.slipway.analysis.run.Providers;
import dev.slipway.analysis.run.SequentialMeasurer;
import dev.slipway.analysis.sequential.Histogram;
import dev.slipway.analysis.sequential.PowerPlan;
import dev.slipway.analysis.spec.MetricSpec;
import dev.slipway.analysis.spec.Query;
import dev.slipway.analysis.spec.SequentialSpec;
import dev.slipway.api.v1alpha1.CanaryStep;
import dev.slipway.api.v1alpha1.Rollout;
import dev.slipway.api.v1alpha1.StepPlan;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Power planning at the edge: for each analysis step with sequential metrics, reads the stable's
 * request rate, 5xx share and latency histogram over the metric's planning window, and lets the
 * pure {@link PowerPlan} say what the step can detect at its weight. Background analysis has no
 * single weight and is not planned.
 */
final class PowerPlanner {
  private final AnalysisPlans plans;
  private final Providers providers;
  private final Clock clock;

  PowerPlanner(AnalysisPlans plans, Providers providers, Clock clock) {
    this.plans = plans;
    this.providers = providers;
    this.clock = clock;
  }

  List<StepPlan> plan(Rollout r, String canaryRevision) {
    List<StepPlan> out = new ArrayList<>();
    List<CanaryStep> steps = r.getSpec().strategy().plan().stepsOrEmpty();
    String stable = r.getStatus() == null ? null : r.getStatus().stableRevision();
    int weight = 0;
    Instant now = clock.instant();
    for (int i = 0; i < steps.size(); i++) {
      CanaryStep s = steps.get(i);
      if (s.setWeight() != null) weight = s.setWeight();
      if (s.analysis() == null) continue;
      AnalysisPlans.Plan plan;
      try {
        plan = plans.resolve(r, s.analysis(), stable, canaryRevision);
      } catch (AnalysisConfigException e) {
        continue; // the run itself reports it, when the step comes
      }
      for (MetricSpec m : plan.metrics()) {
        if (!(m.query() instanceof Query.Sequential q)) continue;
        out.add(toStatus(plan(i, weight, m, q.spec(), plan.args(), now)));
      }
    }
    return out.size() > 32 ? out.subList(0, 32) : out;
  }

  PowerPlan plan(
      int step, int weight, MetricSpec m, SequentialSpec spec, AnalysisArgs args, Instant now) {
    MetricProvider p = providers.forTarget(m.provider());
    if (spec.counts() != null) return hostedPlan(step, weight, m, spec, args, p, now);
    QueryOutcome rate =
        p.instant(
            CounterQueries.requestRate(m.prometheus(), args, Side.STABLE, spec.planningWindow()),
            now);
    if (rate instanceof QueryOutcome.Failure f) return cannotPlan(step, m, weight, f.why());
    double rps = rate instanceof QueryOutcome.Value v ? v.value() : 0;
    double errorShare = Double.NaN;
    if (spec.errors() != null && rps > 0) {
      QueryOutcome ok =
          p.instant(
              BuiltinQueries.render(
                  new Query.SuccessRate(),
                  m.prometheus(),
                  args,
                  Side.STABLE,
                  spec.planningWindow()),
              now);
      if (ok instanceof QueryOutcome.Value v) errorShare = 1 - v.value();
    }
    Histogram histogram = null;
    if (spec.latency() != null && rps > 0) {
      QueryOutcome h =
          p.vector(
              CounterQueries.histogram(m.prometheus(), args, Side.STABLE, spec.planningWindow()),
              now);
      if (h instanceof QueryOutcome.Series series) {
        Map<String, Double> byLe = new LinkedHashMap<>();
        for (QueryOutcome.Sample x : series.samples()) {
          if (x.labels().get("le") != null)
            byLe.merge(x.labels().get("le"), x.value(), Double::sum);
        }
        try {
          histogram =
              byLe.containsKey("+Inf")
                  ? Histogram.of(byLe, CounterQueries.secondsPerUnit(m.prometheus()))
                  : null;
        } catch (IllegalArgumentException e) {
          histogram = null;
        }
      }
    }
    return PowerPlan.of(step, m.name(), weight, spec, rps, errorShare, histogram);
  }

  /**
   * A plan from a hosted provider's counts: the stable's requests and errors over the planning
   * window (ending the ingest delay ago); errors only, as a metric with counts runs no latency
   * test.
   */
  private static PowerPlan hostedPlan(
      int step,
      int weight,
      MetricSpec m,
      SequentialSpec spec,
      AnalysisArgs args,
      MetricProvider p,
      Instant now) {
    Instant to = now.minus(spec.counts().ingestDelay());
    SequentialMeasurer.StableCounts c;
    try {
      c = SequentialMeasurer.stableCounts(m, args, p, to.minus(spec.planningWindow()), to);
    } catch (IllegalStateException e) {
      return cannotPlan(step, m, weight, e.getMessage());
    }
    if (c.window().isZero()) {
      return cannotPlan(
          step, m, weight, "the planning window holds no whole period of the provider's");
    }
    double rps = (double) c.requests() / c.window().toSeconds();
    double errorShare = c.requests() > 0 ? (double) c.errors() / c.requests() : Double.NaN;
    return PowerPlan.of(step, m.name(), weight, spec, rps, errorShare, null);
  }

  private static PowerPlan cannotPlan(int step, MetricSpec m, int weight, String why) {
    return new PowerPlan(
        step,
        m.name(),
        weight,
        0,
        null,
        null,
        false,
        "step " + (step + 1) + ": cannot plan: " + why);
  }

  static StepPlan toStatus(PowerPlan p) {
    return new StepPlan(
        p.step(),
        p.metric(),
        p.weight(),
        Double.isFinite(p.canaryRps()) ? p.canaryRps() : null,
        p.errorsMde(),
        p.slowdownMde(),
        p.meets(),
        p.message());
  }
}
