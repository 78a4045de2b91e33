package dev.slipway.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.analysis.prometheus.PrometheusServer;
import dev.slipway.api.v1alpha1.AnalysisStep;
import dev.slipway.api.v1alpha1.CanaryStep;
import dev.slipway.api.v1alpha1.MetricDef;
import dev.slipway.api.v1alpha1.PrometheusSpec;
import dev.slipway.api.v1alpha1.RecordEntry;
import dev.slipway.api.v1alpha1.RevisionState;
import dev.slipway.api.v1alpha1.RolloutStatus;
import dev.slipway.api.v1alpha1.ThresholdSpec;
import dev.slipway.controller.evidence.EvidenceKeys;
import dev.slipway.controller.evidence.RecordStore;
import dev.slipway.controller.evidence.Verifier;
import dev.slipway.controller.reconcile.ClusterFixture;
import dev.slipway.e2e.cluster.Cluster;
import dev.slipway.e2e.cluster.SharedClusters;
import dev.slipway.e2e.gateway.StandInGateway;
import dev.slipway.e2e.tools.Await;
import dev.slipway.e2e.traffic.LoopbackTraffic;
import dev.slipway.e2e.workload.ControllerProcess;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * A controller SIGKILLed in the middle of an analysis step resumes the same run from the evidence
 * record: same run, measurements numbered on from where they stopped, none taken twice, and the
 * step decided on the full count, not on a fresh start.
 */
@ResourceLock(Lanes.KWOK_B)
@Order(23)
class AnalysisResumeE2ETest {
  static final String NS = "e2e-resume";
  static final int COUNT = 5;

  @Test
  void aRestartedControllerResumesTheAnalysisRunFromTheRecord() throws Exception {
    PrometheusServer.requireInstalled();
    try (Cluster cp = SharedClusters.withNodes(Lanes.KWOK_B)) {
      Prerequisites.kwokPods(
          cp, "the sample app runs as local processes standing in for KWOK pods");
      try (StandInGateway gateway = new StandInGateway(cp.admin());
          PrometheusServer prometheus =
              PrometheusServer.empty("- job_name: none\n  static_configs: []\n");
          ControllerProcess controller = new ControllerProcess(cp, "resume-controller").start()) {
        cp.admin()
            .namespaces()
            .resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build())
            .create();
        ClusterFixture f = new ClusterFixture(cp.admin(), NS);
        f.realApiServer = true;
        f.createServicesAndRoute();
        PrometheusSpec prom =
            new PrometheusSpec(prometheus.address(), null, null, "5s", null, null, null, null);
        MetricDef sr =
            new MetricDef(
                "success-rate",
                MetricDef.BuiltinMetric.successRate,
                null,
                null,
                null,
                "20s",
                new ThresholdSpec(0.95, null),
                null,
                "4s",
                COUNT,
                "6s",
                null,
                1,
                null,
                null,
                null);
        f.client
            .resource(
                f.rollout(
                    "app:1",
                    CanaryStep.weight(50),
                    CanaryStep.analysis(new AnalysisStep(null, List.of(sr), null, prom))))
            .create();
        String v1 =
            RolloutAwait.status(
                    f,
                    s -> s.state() == RevisionState.Stable,
                    Duration.ofSeconds(90),
                    new ArrayList<>())
                .stableRevision();
        try (LoopbackTraffic traffic =
            new LoopbackTraffic(f.client, NS, "demo", "demo", prometheus, AnalysisE2ETest.RPS)) {
          AnalysisE2ETest.deploy(f, "app:2", "0", "0");
          RolloutStatus s =
              RolloutAwait.status(
                  f, st -> st.canaryRevision() != null, Duration.ofSeconds(60), new ArrayList<>());
          String v2 = s.canaryRevision();
          RecordStore store = RecordStore.reader(cp.admin());
          Instant deadline = Instant.now().plusSeconds(90);
          while (measurements(store, v2).size() < 2) {
            assertTrue(Instant.now().isBefore(deadline), "two measurements were never recorded");
            Await.sleep(200);
          }
          controller.kill();
          List<String> before = measurements(store, v2);
          System.out.println("  SIGKILLed the controller after " + before);
          controller.start();
          List<String> trace = new ArrayList<>();
          s =
              RolloutAwait.status(
                  f,
                  st -> st.state() == RevisionState.Stable && !v1.equals(st.stableRevision()),
                  Duration.ofSeconds(120),
                  trace);
          List<String> keys = measurements(store, v2);
          System.out.println("  after the restart: " + keys);
          Set<String> runs = new TreeSet<>();
          keys.forEach(k -> runs.add(k.split("/")[2]));
          assertEquals(1, runs.size(), "one run, resumed, not a second one: " + keys);
          assertEquals(COUNT, keys.size(), "exactly the configured count of measurements: " + keys);
          for (int n = 0; n < COUNT; n++) {
            String suffix = "/success-rate/" + n;
            assertEquals(
                1,
                keys.stream().filter(k -> k.endsWith(suffix)).count(),
                "measurement " + n + " once");
          }
          assertTrue(keys.containsAll(before), "the measurements taken before the kill count");
          List<RecordEntry> all = store.entries(NS, "demo", v2, 1);
          assertEquals(
              1,
              all.stream().filter(e -> e.kind().equals("AnalysisVerdict")).count(),
              "one verdict");
          String pem =
              cp.admin()
                  .configMaps()
                  .inNamespace("slipway-system")
                  .withName("slipway-evidence-public-key")
                  .get()
                  .getData()
                  .get("public.pem");
          var verdict = Verifier.verify(all, EvidenceKeys.publicKey(pem));
          assertTrue(verdict.ok(), verdict.message());
          System.out.println("  " + verdict.message() + "; stable " + s.stableRevision());
        }
      }
    }
  }

  static List<String> measurements(RecordStore store, String revision) {
    return store.entries(NS, "demo", revision, 1).stream()
        .filter(e -> e.kind().equals("Measurement"))
        .map(RecordEntry::key)
        .toList();
  }
}
