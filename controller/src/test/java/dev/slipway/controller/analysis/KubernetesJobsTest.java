package dev.slipway.controller.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.analysis.Verdict;
import dev.slipway.analysis.promql.AnalysisArgs;
import dev.slipway.analysis.provider.JobRunner;
import dev.slipway.analysis.spec.JobCheck;
import dev.slipway.api.v1alpha1.Rollout;
import dev.slipway.controller.kube.Labels;
import dev.slipway.controller.testing.MockCluster;
import dev.slipway.controller.testing.TestRollouts;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Job checks against an API server stand-in: the Job as created, read across passes, its outcome
 * with its pods' exit codes, and the deletion of running Jobs when their canary is over. The real
 * node's e2e test runs real Jobs.
 */
class KubernetesJobsTest {
  static final String NS = "shop";
  static final String SPEC =
      """
      {"template": {"spec": {"serviceAccountName": "smoke-tester",
        "containers": [{"name": "probe", "image": "probe:1",
          "args": ["http://{{args.canaryService}}:8080/", "{{args.label}}"]}]}}}
      """;

  final MockCluster cluster = new MockCluster();
  final KubernetesJobs jobs = new KubernetesJobs(cluster.client);

  @AfterEach
  void close() {
    cluster.close();
  }

  static JobRunner.Request request(String name, String revision, Map<String, String> extra) {
    return new JobRunner.Request(
        name,
        "smoke",
        new AnalysisArgs("web", NS, "s1", revision, "web-stable", "web-canary", extra),
        new JobCheck(SPEC, Duration.ofSeconds(90), Duration.ofMinutes(5), 20));
  }

  Job job(String name) {
    return cluster.client.batch().v1().jobs().inNamespace(NS).withName(name).get();
  }

  void end(String name, String type, String reason) {
    Job j = job(name);
    j.setStatus(new io.fabric8.kubernetes.api.model.batch.v1.JobStatus());
    j.getStatus()
        .setConditions(
            List.of(
                new JobConditionBuilder()
                    .withType(type)
                    .withStatus("True")
                    .withReason(reason)
                    .withLastTransitionTime("2026-12-06T10:00:42Z")
                    .build()));
    cluster.client.resource(j).updateStatus();
  }

  void pod(String job, int exitCode) {
    cluster
        .client
        .pods()
        .inNamespace(NS)
        .resource(
            new PodBuilder()
                .withNewMetadata()
                .withName(job + "-x1")
                .addToLabels(KubernetesJobs.JOB_NAME, job)
                .endMetadata()
                .withNewStatus()
                .addNewContainerStatus()
                .withName("probe")
                .withNewState()
                .withNewTerminated()
                .withExitCode(exitCode)
                .withReason(exitCode == 0 ? "Completed" : "Error")
                .endTerminated()
                .endState()
                .endContainerStatus()
                .endStatus()
                .build())
        .create();
  }

  @Test
  void theJobIsCreatedOnceAsTheCheckSaysAndOwnedByTheRollout() {
    Rollout r = TestRollouts.withName(TestRollouts.spec("app:1"), "web", NS);
    Rollout created = cluster.client.resource(r).create();
    var req = request("web-smoke-0-abc", "c1", Map.of("label", "x\"}, \"hostNetwork\": true"));
    assertInstanceOf(JobRunner.Pending.class, jobs.observe(req));
    assertInstanceOf(JobRunner.Pending.class, jobs.observe(req));
    assertEquals(1, cluster.client.batch().v1().jobs().inNamespace(NS).list().getItems().size());
    Job j = job("web-smoke-0-abc");
    assertEquals(90L, j.getSpec().getActiveDeadlineSeconds());
    assertEquals(300, j.getSpec().getTtlSecondsAfterFinished());
    assertEquals(0, j.getSpec().getBackoffLimit(), "a failed test fails; no retries unless asked");
    var pod = j.getSpec().getTemplate().getSpec();
    assertEquals("Never", pod.getRestartPolicy());
    assertEquals("smoke-tester", pod.getServiceAccountName(), "the template's, never ours");
    assertEquals(
        List.of("http://web-canary:8080/", "x\"}, \"hostNetwork\": true"),
        pod.getContainers().get(0).getArgs(),
        "an argument is one string value; it cannot add a field");
    assertNull(pod.getHostNetwork());
    assertEquals(
        Map.of(
            Labels.ROLLOUT,
            "web",
            KubernetesJobs.METRIC,
            "smoke",
            KubernetesJobs.REVISION,
            "c1",
            "app.kubernetes.io/managed-by",
            "slipway"),
        j.getMetadata().getLabels());
    assertEquals(
        created.getMetadata().getUid(), j.getMetadata().getOwnerReferences().get(0).getUid());
  }

  @Test
  void theOutcomeIsTheVerdictWithTheExitCodes() {
    jobs.observe(request("a", "c1", Map.of("label", "")));
    end("a", "Complete", null);
    pod("a", 0);
    var ok =
        assertInstanceOf(
            JobRunner.Finished.class, jobs.observe(request("a", "c1", Map.of("label", ""))));
    assertEquals(Verdict.Successful, ok.verdict());
    assertTrue(ok.reason().startsWith("Job shop/a succeeded"), ok.reason());
    assertTrue(ok.reason().contains("pod a-x1 container probe exited 0 (Completed)"), ok.reason());
    assertNotNull(ok.createdAt());

    jobs.observe(request("b", "c1", Map.of("label", "")));
    end("b", "Failed", "BackoffLimitExceeded");
    pod("b", 7);
    var failed =
        assertInstanceOf(
            JobRunner.Finished.class, jobs.observe(request("b", "c1", Map.of("label", ""))));
    assertEquals(Verdict.Failed, failed.verdict());
    assertTrue(failed.reason().contains("(BackoffLimitExceeded)"), failed.reason());
    assertTrue(failed.reason().contains("exited 7 (Error)"), failed.reason());

    jobs.observe(request("c", "c1", Map.of("label", "")));
    end("c", "Failed", "DeadlineExceeded");
    var late =
        assertInstanceOf(
            JobRunner.Finished.class, jobs.observe(request("c", "c1", Map.of("label", ""))));
    assertEquals(Verdict.Error, late.verdict(), "a hung test is an Error, never a pass or a fail");
    assertTrue(late.reason().contains("passed its deadline of 90 s"), late.reason());
  }

  @Test
  void aBadSpecOrAForeignJobIsAnErrorAndNothingIsCreated() {
    var unknownArg =
        assertInstanceOf(JobRunner.Finished.class, jobs.observe(request("d", "c1", Map.of())));
    assertEquals(Verdict.Error, unknownArg.verdict());
    assertTrue(unknownArg.reason().contains("unknown arg {{args.label}}"), unknownArg.reason());
    assertNull(job("d"));

    cluster
        .client
        .batch()
        .v1()
        .jobs()
        .inNamespace(NS)
        .resource(
            new io.fabric8.kubernetes.api.model.batch.v1.JobBuilder()
                .withNewMetadata()
                .withName("e")
                .endMetadata()
                .withNewSpec()
                .endSpec()
                .build())
        .create();
    var foreign =
        assertInstanceOf(
            JobRunner.Finished.class, jobs.observe(request("e", "c1", Map.of("label", ""))));
    assertEquals(Verdict.Error, foreign.verdict());
    assertTrue(foreign.reason().contains("is not this check's"), foreign.reason());
  }

  @Test
  void cancelDeletesTheRevisionsRunningJobsOnly() {
    jobs.observe(request("running", "c1", Map.of("label", "")));
    jobs.observe(request("done", "c1", Map.of("label", "")));
    end("done", "Complete", null);
    jobs.observe(request("other-revision", "c2", Map.of("label", "")));
    jobs.cancel(NS, "web", "c1");
    assertNull(job("running"));
    assertNotNull(job("done"), "a finished Job stays for its TTL, for people to read");
    assertNotNull(job("other-revision"));
  }
}
