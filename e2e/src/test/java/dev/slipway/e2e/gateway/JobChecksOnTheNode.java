package dev.slipway.e2e.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.api.v1alpha1.RecordEntry;
import dev.slipway.api.v1alpha1.RevisionState;
import dev.slipway.api.v1alpha1.RolloutStatus;
import dev.slipway.e2e.EvidenceChecks;
import dev.slipway.e2e.cluster.ClusterLease;
import dev.slipway.e2e.cluster.Crds;
import dev.slipway.e2e.cluster.RealNode;
import dev.slipway.e2e.images.Images;
import dev.slipway.e2e.tools.Await;
import dev.slipway.e2e.tools.Kubectl;
import dev.slipway.e2e.workload.SampleAppManifests;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;

/**
 * Issue 30's Job checks on the real node: the shipped smoke-test template
 * (samples/analysis/job.yaml) runs a real Job whose pod, as ServiceAccount smoke-tester, reads the
 * canary Service's EndpointSlices and sends its GETs pod to pod over the harness's bridge. A good
 * canary passes and is promoted, a bad one fails and is rolled back, each with the Job's outcome,
 * exit code and log tail in the verified evidence; a Job that hangs is stopped at its deadline and
 * is an Error; an abort while a Job runs deletes it. Run by TraefikE2ETest, which brings Slipway;
 * no gateway is involved (the Rollout has no traffic routing: its canary is one pod).
 */
final class JobChecksOnTheNode {
  static final String APP = "smoke";
  private final ClusterLease lease;
  private final KubernetesClient admin;
  private final Kubectl kubectl;
  private final RealNode node;
  private final String ns;
  private final ScenarioRollout rollout;

  JobChecksOnTheNode(ClusterLease lease, Kubectl kubectl, String ns) {
    this.lease = lease;
    this.admin = lease.plane().admin();
    this.kubectl = kubectl;
    this.node = lease.plane().node().orElseThrow();
    this.ns = ns;
    this.rollout = new ScenarioRollout(admin, kubectl, ns, APP);
  }

  void run() throws Exception {
    Instant t0 = Instant.now();
    kubectl.run(null, "create", "namespace", ns);
    rollout.apply(services() + template() + hangTemplate(Duration.ofSeconds(10), "hang"));
    rollout.apply(rollout("v1", "0", "smoke-job"));
    await("v1 Stable", Duration.ofMinutes(3), () -> rollout.state() == RevisionState.Stable);

    // A good canary: the smoke test's 40 GETs all answer 200.
    rollout.apply(rollout("v2", "0", "smoke-job"));
    await(
        "v2 promoted after its smoke test",
        Duration.ofMinutes(4),
        () -> rollout.state() == RevisionState.Stable && "v2".equals(stableVersion()));
    String v2 = rollout.status().stableRevision();
    String good = evidence(v2);
    System.out.println("job check, good canary: " + measured(good));
    assertTrue(good.contains(" succeeded"), good);
    assertTrue(good.contains("container smoke exited 0 (Completed)"), good);
    assertTrue(good.contains("40 requests to Service smoke-canary"), good);
    assertTrue(good.contains("all 2xx"), good);

    // A bad canary: half its answers are 500; the Job fails and the canary is rolled back.
    rollout.apply(rollout("v3", "0.5", "smoke-job"));
    await(
        "v3 rolled back by its smoke test",
        Duration.ofMinutes(4),
        () -> rollout.state() == RevisionState.RolledBack);
    RolloutStatus bad = rollout.status();
    System.out.println("job check, bad canary: " + bad.message());
    String failed =
        evidence(bad.canaryRevision() == null ? bad.stateRevision() : bad.canaryRevision());
    System.out.println("job check, bad canary's evidence: " + measured(failed));
    assertTrue(failed.contains(" failed"), failed);
    assertTrue(failed.contains("container smoke exited 1 (Error)"), failed);
    assertTrue(failed.contains("not 2xx"), failed);
    assertTrue(failed.contains("-> 500"), "the log tail names the failed calls: " + failed);

    // A Job that never ends: stopped at its 10 s deadline, an Error, and the canary rolled back.
    rollout.apply(rollout("v4", "0", "hang"));
    await(
        "v4 rolled back after its Job's deadline",
        Duration.ofMinutes(4),
        // The message names the deadline: v3's RolledBack is still there while v4 starts.
        () ->
            rollout.state() == RevisionState.RolledBack
                && rollout.status().message().contains("DeadlineExceeded"));
    String late = rollout.status().message();
    System.out.println("job check, hung Job: " + late);
    assertTrue(late.contains("passed its deadline of 10 s"), late);

    // An abort while the Job runs deletes it.
    rollout.apply(hangTemplate(Duration.ofMinutes(5), "hang-long"));
    rollout.apply(rollout("v5", "0", "hang-long"));
    Supplier<Job> running =
        () ->
            admin
                .batch()
                .v1()
                .jobs()
                .inNamespace(ns)
                .withLabel("slipway.dev/analysis-job", "hang")
                .list()
                .getItems()
                .stream()
                .filter(
                    j ->
                        j.getStatus() != null
                            && Integer.valueOf(1).equals(j.getStatus().getActive()))
                .findFirst()
                .orElse(null);
    await("v5's Job running", Duration.ofMinutes(3), () -> running.get() != null);
    Job job = running.get();
    String name = job.getMetadata().getName();
    String aborted = job.getMetadata().getLabels().get("slipway.dev/analysis-revision");
    Instant abort = Instant.now();
    rollout.request("Abort");
    await(
        "v5 aborted and its Job " + name + " deleted",
        Duration.ofMinutes(2),
        () -> {
          Job j = admin.batch().v1().jobs().inNamespace(ns).withName(name).get();
          return rollout.state() == RevisionState.RolledBack
              && (j == null || j.getMetadata().getDeletionTimestamp() != null);
        });
    System.out.printf(
        "job check, abort: Job %s deleted %d ms after the abort was requested; scenario %d s%n",
        name,
        Duration.between(abort, Instant.now()).toMillis(),
        Duration.between(t0, Instant.now()).toSeconds());
    await(
        "the aborted Job's pods gone",
        Duration.ofMinutes(2),
        () ->
            admin
                .pods()
                .inNamespace(ns)
                .withLabel("batch.kubernetes.io/job-name", name)
                .list()
                .getItems()
                .isEmpty());
    // No later pass creates it again (under its fixed name) or another for the aborted revision.
    Thread.sleep(5_000);
    assertNull(admin.batch().v1().jobs().inNamespace(ns).withName(name).get(), name + " is back");
    assertEquals(
        List.of(),
        admin
            .batch()
            .v1()
            .jobs()
            .inNamespace(ns)
            .withLabel("slipway.dev/analysis-revision", aborted)
            .list()
            .getItems()
            .stream()
            .map(j -> j.getMetadata().getName())
            .toList(),
        "no Job of the aborted revision");
    kubectl.run(null, "delete", "rollout.slipway.dev", APP, "-n", ns, "--wait=false");
  }

  /** The revision's verified record, as JSON, for its measurements. */
  private String evidence(String revision) throws Exception {
    List<RecordEntry> entries = EvidenceChecks.exportAndVerify(lease, ns, APP, revision);
    return Serialization.asJson(entries);
  }

  /** The Job check's measurement as the record holds it: its reason. */
  private static String measured(String json) {
    int i = json.indexOf("\"reason\":\"Job ");
    return i < 0 ? "(no Job measurement)" : json.substring(i, Math.min(json.length(), i + 600));
  }

  private String stableVersion() {
    return version(rollout.status().stableRevision());
  }

  /** The VERSION of the ReplicaSet of a revision. */
  private String version(String revision) {
    if (revision == null) return null;
    return admin.apps().replicaSets().inNamespace(ns).list().getItems().stream()
        .filter(
            rs ->
                revision.equals(rs.getMetadata().getLabels().get("slipway.dev/pod-template-hash")))
        .flatMap(
            rs -> rs.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream())
        .filter(e -> "VERSION".equals(e.getName()))
        .map(e -> e.getValue())
        .findFirst()
        .orElse(null);
  }

  private String services() {
    return """
        apiVersion: v1
        kind: Service
        metadata: {name: smoke-stable}
        spec:
          selector: {app: smoke}
          ports: [{port: 8080, targetPort: 8080}]
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: smoke-canary}
        spec:
          selector: {app: smoke}
          ports: [{port: 8080, targetPort: 8080}]
        ---
        """;
  }

  /**
   * The shipped smoke-test template, its image the one built here (no registry), and the API server
   * as pods on this node reach it (no kube-proxy or ClusterIP).
   */
  private String template() throws Exception {
    String yaml = Files.readString(Crds.repoRoot().resolve("samples/analysis/job.yaml"));
    String image = "ghcr.io/slipway-dev/slipway-sample-app:0.1.0";
    assertTrue(yaml.contains(image), "samples/analysis/job.yaml names " + image);
    return yaml.replace(
            "              image: " + image + "\n",
            """
                          image: %s
                          imagePullPolicy: Never
                          env:
                          - {name: KUBERNETES_SERVICE_HOST, value: "%s"}
                          - {name: KUBERNETES_SERVICE_PORT, value: "%d"}
            """
                .formatted(Images.SAMPLE_APP, node.apiHostForPods(), node.apiPortForPods()))
        + "\n---\n";
  }

  /** A Job that never ends: the sample app serving, as a hung test would. */
  private static String hangTemplate(Duration deadline, String name) {
    return """
        apiVersion: slipway.dev/v1alpha1
        kind: AnalysisTemplate
        metadata: {name: %s}
        spec:
          metrics:
          - name: hang
            consecutiveErrorLimit: 0
            job:
              deadline: %ds
              spec:
                template:
                  spec:
                    containers:
                    - name: hang
                      image: %s
                      imagePullPolicy: Never
                      env: [{name: PORT, value: "8081"}]
        ---
        """
        .formatted(name, deadline.toSeconds(), Images.SAMPLE_APP);
  }

  private static String rollout(String version, String errorRate, String template) {
    return """
        apiVersion: slipway.dev/v1alpha1
        kind: Rollout
        metadata: {name: smoke}
        spec:
          replicas: 1
          selector:
            matchLabels: {app: smoke}
        %s
          strategy:
            canary:
              stableService: smoke-stable
              canaryService: smoke-canary
              scaleDownDelay: 0s
              steps:
              - setCanaryScale: {replicas: 1}
              - analysis:
                  templates: [{templateName: %s}]
        """
        .formatted(
            SampleAppManifests.podTemplate(APP, version, errorRate, "0").indent(2).stripTrailing(),
            template);
  }

  private void await(String what, Duration timeout, Supplier<Boolean> probe) {
    Await.until(what, timeout)
        .ignoringExceptions()
        .explaining(
            () ->
                "status "
                    + rollout.status().message()
                    + "\n"
                    + kubectl
                        .run(
                            null,
                            "get",
                            "rollout.slipway.dev,jobs,pods,endpointslices",
                            "-n",
                            ns,
                            "-o",
                            "wide")
                        .out())
        .holds(probe::get);
  }
}
