package dev.slipway.controller.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.analysis.Verdict;
import dev.slipway.analysis.provider.JobRunner;
import dev.slipway.analysis.run.Providers;
import dev.slipway.analysis.testing.SettableClock;
import dev.slipway.api.v1alpha1.AnalysisStep;
import dev.slipway.api.v1alpha1.AnalysisTemplate;
import dev.slipway.api.v1alpha1.MetricDef;
import dev.slipway.api.v1alpha1.Rollout;
import dev.slipway.controller.core.Action;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A Job check inside the analysis runner: the Job is asked for at every pass while it runs; once
 * its revision is stopped (rolled back, aborted, superseded), its running Jobs are cancelled and no
 * later pass asks for one again, which would create the deleted Job anew under its fixed name.
 */
class JobRunsTest {
  final SettableClock clock = new SettableClock(Instant.parse("2026-12-06T10:00:00Z"));
  final List<String> calls = new ArrayList<>();

  final JobRunner jobs =
      new JobRunner() {
        @Override
        public Observation observe(Request r) {
          calls.add("observe " + r.name());
          return new Pending("running");
        }

        @Override
        public void cancel(String namespace, String rollout, String revision) {
          calls.add("cancel " + namespace + "/" + rollout + " " + revision);
        }
      };

  final AnalysisSources sources =
      new AnalysisSources() {
        @Override
        public AnalysisTemplate template(String namespace, String name) {
          return null;
        }

        @Override
        public Map<String, String> secret(String namespace, String name) {
          return null;
        }
      };

  static AnalysisStep step() {
    MetricDef smoke =
        io.fabric8.kubernetes.client.utils.Serialization.unmarshal(
            """
            name: smoke
            job:
              spec:
                template:
                  spec:
                    containers: [{name: t, image: "probe:1"}]
            """,
            MetricDef.class);
    return new AnalysisStep(null, List.of(smoke), null, null);
  }

  @Test
  void aStoppedRevisionsJobIsCancelledAndNeverAskedForAgain() {
    MetricAnalysisRunner runner =
        new MetricAnalysisRunner(sources, Providers.withJobs(s -> null, jobs), clock);
    Rollout r = AnalysisPlansTest.rollout();
    runner.start(r, new Action.StartAnalysis("c1", 1, step()));
    runner.results(r, "c1");
    clock.advance(Duration.ofSeconds(2));
    runner.results(r, "c1");
    assertEquals(2, calls.size(), calls.toString());
    assertTrue(calls.get(0).startsWith("observe web-smoke-0-"), calls.toString());
    assertEquals(calls.get(0), calls.get(1), "the same Job at every pass");

    runner.stop(r, "c1");
    assertEquals("cancel shop/web c1", calls.get(2));
    for (int i = 0; i < 3; i++) {
      clock.advance(Duration.ofSeconds(2));
      assertEquals(Verdict.Running, runner.results(r, "c1").get(1).result().verdict());
    }
    assertEquals(3, calls.size(), "nothing asked after the stop: " + calls);
  }
}
