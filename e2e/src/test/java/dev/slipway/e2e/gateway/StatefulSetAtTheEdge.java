package dev.slipway.e2e.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.api.v1alpha1.RecordEntry;
import dev.slipway.api.v1alpha1.RevisionState;
import dev.slipway.api.v1alpha1.RolloutStatus;
import dev.slipway.e2e.EvidenceChecks;
import dev.slipway.e2e.cluster.ClusterLease;
import dev.slipway.e2e.images.Images;
import dev.slipway.e2e.tools.Await;
import dev.slipway.e2e.tools.Kubectl;
import dev.slipway.e2e.traffic.EdgeLoad;
import dev.slipway.e2e.workload.SampleAppManifests;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Issue 29 on the real node: a 3-replica StatefulSet of the sample app, each pod writing its starts
 * to its own PVC (hostPath PersistentVolumes made here), walked in place by its partition with
 * traffic through Traefik and analysis from Traefik's metrics in the real Prometheus. A good
 * revision walks partition 2 → 1 → 0; a bad one is rolled back by analysis at its first step:
 * ordinal 2 back on the old revision, ordinals 0 and 1 never restarted, the PVC's data read back
 * after the rollback, and the evidence verified. Run by TraefikE2ETest, which brings the gateway,
 * Prometheus and Slipway.
 */
final class StatefulSetAtTheEdge {
  static final String APP = "ledger";
  private final ClusterLease lease;
  private final KubernetesClient admin;
  private final Kubectl kubectl;
  private final String ns;
  private final String gateway;
  private final String analysisTemplate;
  private final HttpClient http = HttpClient.newHttpClient();
  private final ScenarioRollout rollout;

  StatefulSetAtTheEdge(
      ClusterLease lease, Kubectl kubectl, String ns, String gateway, String analysisTemplate) {
    this.lease = lease;
    this.admin = lease.plane().admin();
    this.kubectl = kubectl;
    this.ns = ns;
    this.rollout = new ScenarioRollout(admin, kubectl, ns, APP);
    this.gateway = gateway;
    this.analysisTemplate = analysisTemplate;
  }

  void run(String edgeUrl) throws Exception {
    Path volumes = lease.dir().resolve("ledger-volumes");
    rollout.applyClusterScoped(persistentVolumes(volumes));
    try (EdgeLoad load = new EdgeLoad(edgeUrl + "/" + APP, 40)) {
      rollout.apply(
          analysisTemplate + "---\n" + servicesAndRoute() + manifest() + statefulSet("v1", "0"));
      await(
          "v1 Stable, its partition held",
          Duration.ofMinutes(4),
          () -> rollout.state() == RevisionState.Stable && partition() == 3 && ready(3));
      String v1 = rollout.status().stableRevision();
      System.out.println("ledger: v1 " + v1 + " stable, " + rollout.status().updated());

      // A good revision: the partition walks 2 -> 1 -> 0, judged at each step.
      List<Integer> partitions = Collections.synchronizedList(new ArrayList<>());
      Thread watch = watchPartition(partitions);
      EdgeLoad.Counts before = load.counts();
      rollout.apply(statefulSet("v2", "0"));
      await(
          "v2 Stable",
          Duration.ofMinutes(5),
          () -> {
            if (rollout.state() == RevisionState.RolledBack)
              throw new AssertionError(
                  "the good revision was rolled back: " + rollout.status().message());
            return rollout.state() == RevisionState.Stable
                && !v1.equals(rollout.status().stableRevision())
                && partition() == 3
                && ready(3)
                && versions().values().stream().allMatch("v2"::equals);
          });
      watch.interrupt();
      watch.join();
      String v2 = rollout.status().stableRevision();
      EdgeLoad.Counts good = load.counts().minus(before);
      System.out.printf(
          "ledger: v1 -> v2 promoted through partitions %s; through Traefik %s%n",
          partitions, good);
      assertEquals(List.of(3, 2, 1, 0, 3), partitions, "held, 2, 1, 0, held");
      assertTrue(good.served("v2") > 0, good.toString());
      assertEquals(0, good.fiveXx(), "no failed request through the walk: " + good);
      assertEquals(0, good.transportErrors(), good.toString());

      // A bad revision: rolled back by analysis at its first step, on its ordinal only.
      Map<String, String> uids = uids();
      String claim2 = claimUid(2);
      before = load.counts();
      rollout.apply(statefulSet("v3", "0.5"));
      await(
          "v3 rolled back, every ordinal on v2 again",
          Duration.ofMinutes(5),
          () ->
              rollout.state() == RevisionState.RolledBack
                  && partition() == 3
                  && ready(3)
                  && versions().values().stream().allMatch("v2"::equals));
      RolloutStatus s = rollout.status();
      String v3 = s.canaryRevision();
      System.out.println("ledger: v3 " + v3 + " rolled back: " + s.message());
      assertTrue(
          s.conditionsOrEmpty().stream()
              .anyMatch(c -> c.type().equals("Aborted") && c.reason().startsWith("Analysis")),
          "rolled back by analysis: " + s.conditionsOrEmpty());
      Map<String, String> after = uids();
      assertEquals(uids.get(APP + "-0"), after.get(APP + "-0"), "ordinal 0 never restarted");
      assertEquals(uids.get(APP + "-1"), after.get(APP + "-1"), "ordinal 1 never restarted");
      assertTrue(!uids.get(APP + "-2").equals(after.get(APP + "-2")), "ordinal 2 was replaced");
      assertEquals(claim2, claimUid(2), "ordinal 2 kept its PVC");
      String data = data(2);
      System.out.println("ledger: ordinal 2's PVC after the rollback:\n" + data.strip());
      List<String> starts = data.lines().map(l -> l.split(" ")[0]).collect(Collectors.toList());
      assertEquals(List.of("v1", "v2", "v3", "v2"), starts, "every start of ordinal 2, kept");
      assertEquals(List.of("v1", "v2"), startsOf(0), "ordinal 0: started at v1, updated to v2");
      EdgeLoad.Counts bad = load.counts().minus(before);
      System.out.println("ledger: bad revision at the gateway: " + bad);
      assertEquals(
          bad.fiveXx(), bad.served("v3") - bad.ok("v3"), "the only 5xx are v3's own: " + bad);
      assertEquals(0, bad.transportErrors(), bad.toString());

      List<RecordEntry> entries = EvidenceChecks.exportAndVerify(lease, ns, APP, v3);
      List<String> replaced =
          entries.stream()
              .filter(e -> e.kind().equals("PodReplaced"))
              .map(e -> String.valueOf(e.data().get("pod")))
              .toList();
      System.out.println(
          "ledger: evidence of "
              + v3
              + ": "
              + entries.size()
              + " entries, pods replaced "
              + replaced);
      assertEquals(List.of(APP + "-2"), replaced);
    } finally {
      kubectl.run(null, "delete", "rollout.slipway.dev", APP, "-n", ns, "--wait=false");
      kubectl.run(null, "delete", "statefulset", APP, "-n", ns, "--wait=false");
    }
  }

  private Thread watchPartition(List<Integer> seen) {
    Thread t =
        new Thread(
            () -> {
              while (!Thread.currentThread().isInterrupted()) {
                try {
                  int p = partition();
                  if (seen.isEmpty() || seen.get(seen.size() - 1) != p) seen.add(p);
                  Thread.sleep(100);
                } catch (InterruptedException e) {
                  return;
                } catch (RuntimeException e) {
                  // a read between states: look again
                }
              }
            },
            "ledger-partition");
    t.setDaemon(true);
    t.start();
    return t;
  }

  private String persistentVolumes(Path dir) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < 3; i++) {
      b.append(
          """
          apiVersion: v1
          kind: PersistentVolume
          metadata: {name: %1$s-%3$s-%2$d}
          spec:
            capacity: {storage: 16Mi}
            accessModes: [ReadWriteOnce]
            storageClassName: slipway-e2e-%1$s
            persistentVolumeReclaimPolicy: Retain
            hostPath: {path: %4$s/%2$d, type: DirectoryOrCreate}
          ---
          """
              .formatted(APP, i, ns, dir));
    }
    return b.toString();
  }

  private String servicesAndRoute() {
    return SampleAppManifests.services(APP)
        + """
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: %1$s}
        spec:
          parentRefs: [{name: %2$s}]
          rules:
          - name: main
            matches: [{path: {type: PathPrefix, value: /%1$s}}]
            backendRefs:
            - {name: %1$s-stable, port: 80, weight: 100}
            - {name: %1$s-canary, port: 80, weight: 0}
        ---
        """
            .formatted(APP, gateway);
  }

  private static String manifest() {
    return """
        apiVersion: slipway.dev/v1alpha1
        kind: Rollout
        metadata: {name: %1$s}
        spec:
          workloadRef: {kind: StatefulSet, name: %1$s}
          selector:
            matchLabels: {app: %1$s}
          strategy:
            canary:
              stableService: %1$s-stable
              canaryService: %1$s-canary
              scaleDownDelay: 5s
              trafficRouting:
                gatewayAPI:
                  httpRoutes: [{name: %1$s, rules: [main]}]
              steps:
              - setCanaryScale: {replicas: 1}
              - setWeight: 30
              - analysis: {templates: [{templateName: edge-health}]}
              - setCanaryScale: {replicas: 2}
              - setWeight: 60
              - analysis: {templates: [{templateName: edge-health}]}
        ---
        """
        .formatted(APP);
  }

  /** As Git holds it: no partition (Slipway's), the consent to be walked. */
  private static String statefulSet(String version, String errorRate) {
    return """
        apiVersion: apps/v1
        kind: StatefulSet
        metadata:
          name: %1$s
          annotations: {slipway.dev/adopt-by: %1$s}
        spec:
          replicas: 3
          serviceName: %1$s
          selector:
            matchLabels: {app: %1$s}
          updateStrategy: {type: RollingUpdate}
          template:
            metadata:
              labels: {app: %1$s}
            spec:
              # Each step replaces a pod that serves the stable revision: it keeps serving 3 s after
              # SIGTERM, while the gateway learns that its endpoint is going (as any app should
              # for a rolling update).
              terminationGracePeriodSeconds: 10
              containers:
              - name: app
                image: %2$s
                imagePullPolicy: Never
                env:
                - {name: VERSION, value: "%3$s"}
                - {name: ERROR_RATE, value: "%4$s"}
                - {name: DATA_DIR, value: /data}
                - {name: SHUTDOWN_DELAY_MS, value: "3000"}
                ports: [{containerPort: 8080}]
                readinessProbe:
                  httpGet: {path: /healthz, port: 8080}
                  periodSeconds: 1
                  timeoutSeconds: 3
                  failureThreshold: 5
                volumeMounts: [{name: data, mountPath: /data}]
                # root: the hostPath volume is root's, and fsGroup does not apply to it
                securityContext: {runAsUser: 0, runAsNonRoot: false, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false}
          volumeClaimTemplates:
          - metadata: {name: data}
            spec:
              accessModes: [ReadWriteOnce]
              storageClassName: slipway-e2e-%1$s
              resources: {requests: {storage: 16Mi}}
        """
        .formatted(APP, Images.SAMPLE_APP, version, errorRate);
  }

  private int partition() {
    StatefulSet s = admin.apps().statefulSets().inNamespace(ns).withName(APP).get();
    var ru = s.getSpec().getUpdateStrategy().getRollingUpdate();
    return ru == null || ru.getPartition() == null ? 0 : ru.getPartition();
  }

  private List<Pod> pods() {
    return admin.pods().inNamespace(ns).withLabel("app", APP).list().getItems();
  }

  private boolean ready(int n) {
    List<Pod> pods = pods();
    return pods.size() == n
        && pods.stream()
            .allMatch(
                p ->
                    p.getMetadata().getDeletionTimestamp() == null
                        && p.getStatus().getConditions().stream()
                            .anyMatch(
                                c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus())));
  }

  /** Each pod's VERSION, by name. */
  private Map<String, String> versions() {
    Map<String, String> out = new TreeMap<>();
    for (Pod p : pods()) {
      out.put(
          p.getMetadata().getName(),
          p.getSpec().getContainers().get(0).getEnv().stream()
              .filter(e -> "VERSION".equals(e.getName()))
              .map(e -> e.getValue())
              .findFirst()
              .orElse(null));
    }
    return out;
  }

  private Map<String, String> uids() {
    Map<String, String> out = new TreeMap<>();
    for (Pod p : pods()) out.put(p.getMetadata().getName(), p.getMetadata().getUid());
    return out;
  }

  private String claimUid(int ordinal) {
    return admin
        .persistentVolumeClaims()
        .inNamespace(ns)
        .withName("data-" + APP + "-" + ordinal)
        .get()
        .getMetadata()
        .getUid();
  }

  /** What ordinal {@code i} reads from its PVC, over its pod address on the harness's bridge. */
  private String data(int ordinal) throws Exception {
    Pod p = admin.pods().inNamespace(ns).withName(APP + "-" + ordinal).get();
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create("http://" + p.getStatus().getPodIP() + ":8080/data"))
                .timeout(Duration.ofSeconds(5))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
    return r.body();
  }

  private List<String> startsOf(int ordinal) throws Exception {
    return data(ordinal).lines().map(l -> l.split(" ")[0]).toList();
  }

  private void await(String what, Duration timeout, Supplier<Boolean> probe) {
    Await.until(what, timeout)
        .ignoringExceptions()
        .explaining(
            () ->
                "status "
                    + rollout.status().message()
                    + " / "
                    + rollout.status().updated()
                    + "; pods "
                    + versions()
                    + "\n"
                    + diagnosis())
        .holds(probe::get);
  }

  /** What a stuck pod or claim says about itself. */
  private String diagnosis() {
    StringBuilder b = new StringBuilder();
    for (Pod p : pods()) {
      b.append("pod ")
          .append(p.getMetadata().getName())
          .append(' ')
          .append(p.getStatus().getPhase())
          .append(' ')
          .append(p.getStatus().getConditions())
          .append(' ')
          .append(p.getStatus().getContainerStatuses())
          .append('\n');
    }
    admin
        .persistentVolumeClaims()
        .inNamespace(ns)
        .list()
        .getItems()
        .forEach(
            c ->
                b.append("claim ")
                    .append(c.getMetadata().getName())
                    .append(' ')
                    .append(c.getStatus().getPhase())
                    .append('\n'));
    admin.v1().events().inNamespace(ns).list().getItems().stream()
        .filter(e -> e.getInvolvedObject().getName().startsWith(APP))
        .forEach(
            e ->
                b.append("event ")
                    .append(e.getInvolvedObject().getName())
                    .append(' ')
                    .append(e.getReason())
                    .append(": ")
                    .append(e.getMessage())
                    .append('\n'));
    return b.toString();
  }
}
