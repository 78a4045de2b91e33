package dev.slipway.e2e.demo;

import dev.slipway.analysis.prometheus.PrometheusServer;
import dev.slipway.api.v1alpha1.RevisionState;
import dev.slipway.api.v1alpha1.Rollout;
import dev.slipway.api.v1alpha1.RolloutStatus;
import dev.slipway.e2e.cluster.Crds;
import dev.slipway.e2e.cluster.LocalControlPlane;
import dev.slipway.e2e.cluster.Ports;
import dev.slipway.e2e.cluster.RealNode;
import dev.slipway.e2e.cluster.Stacks;
import dev.slipway.e2e.gateway.StandInGateway;
import dev.slipway.e2e.images.Images;
import dev.slipway.e2e.tools.Kubectl;
import dev.slipway.e2e.traffic.LoopbackTraffic;
import dev.slipway.e2e.traffic.PodTraffic;
import dev.slipway.e2e.workload.ControllerUnderTest;
import dev.slipway.e2e.workload.HelmInstall;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.function.Predicate;

/**
 * The README's first command: a local cluster, the controller under its own RBAC, a real
 * Prometheus, the sample app with a request load split by the live route weights, a demo Rollout, a
 * good canary walked to Stable on analysis, then a bad one rolled back by analysis.
 *
 * <p>Where this machine can run the real node (root, containerd, runc), Slipway is installed with
 * its Helm chart and runs as pods, and the sample app's revisions are containers on the pod bridge
 * that Prometheus scrapes and the load reaches. Elsewhere the cluster has a KWOK node, the
 * controller runs as a process and each revision as a local process. Everything listens on
 * 127.0.0.1, or on the bridge the demo made; Ctrl-C tears it all down.
 */
public final class Demo {
  private static final String NS = "default";

  private Demo() {}

  public static void main(String[] args) {
    int code = 0;
    try {
      run(args);
    } catch (Exception e) {
      System.err.println("demo failed: " + e.getMessage());
      code = 1;
    }
    // The controller's threads are not daemons: exit explicitly, which runs the teardown hook.
    System.exit(code);
  }

  private static void run(String[] args) throws Exception {
    boolean keep = args.length > 0 && args[0].equals("--keep");
    String noNode = RealNode.unavailableReason();
    boolean real = noNode == null && !"kwok".equals(System.getenv("SLIPWAY_DEMO_NODE"));
    say(
        real
            ? "starting a local Kubernetes control plane with a real node (kubelet, containerd, runc, a CNI bridge)..."
            : "starting a local Kubernetes control plane (etcd, kube-apiserver, controller-manager, scheduler, KWOK"
                + (noNode == null ? "" : "; no real node: " + noNode)
                + ")...");
    LocalControlPlane cp = real ? LocalControlPlane.withRealNode() : LocalControlPlane.withNodes();
    ControllerUnderTest[] controller = new ControllerUnderTest[1];
    StandInGateway[] gateway = new StandInGateway[1];
    PrometheusServer[] prometheus = new PrometheusServer[1];
    AutoCloseable[] traffic = new AutoCloseable[1];
    Thread teardown =
        new Thread(
            () -> {
              try {
                if (traffic[0] != null) traffic[0].close();
              } catch (Exception e) {
                System.err.println("demo: stopping the traffic: " + e.getMessage());
              }
              if (gateway[0] != null) gateway[0].close();
              if (controller[0] != null) controller[0].close();
              try {
                if (prometheus[0] != null) prometheus[0].close();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              cp.close();
              System.out.println(
                  "demo: torn down (control plane stopped, temp files in " + cp.dir() + ")");
            });
    Runtime.getRuntime().addShutdownHook(teardown);

    say("cluster: " + cp.describe());
    Kubectl kubectl = new Kubectl(cp.adminKubeconfig());
    if (real) {
      say(
          "importing the controller and sample-app images from their tars (e2e/images/build.sh builds them)...");
      say(
          "images imported into the node's containerd (controller "
              + HelmInstall.importImages(cp)
              + ")");
      Crds.installGatewayApi(cp.admin());
      say(
          "helm install slipway samples/install/helm/slipway -n slipway-system --create-namespace --wait");
      HelmInstall.install(cp, HelmInstall.values(cp, ""));
      System.out.print(
          kubectl
              .run(null, "get", "pods", "-n", HelmInstall.NAMESPACE, "-o", "wide")
              .out()
              .lines()
              .map(l -> "  " + l + "\n")
              .reduce("", String::concat));
      say("the controller runs as two pods (one leads) under its chart's least-privilege RBAC");
    } else {
      Stacks.prepare(cp);
      say("installed the Slipway and Gateway API CRDs, and samples/install/rbac.yaml");
      controller[0] = ControllerUnderTest.start(cp);
      say(
          "controller running as system:serviceaccount:slipway-system:slipway-controller (least privilege)");
    }
    gateway[0] = new StandInGateway(cp.admin());

    // In a pod, the controller reaches Prometheus on the bridge's host side, not on loopback.
    String promHost = real ? cp.node().orElseThrow().apiHostForPods() : "127.0.0.1";
    int port = PrometheusServer.portFree(9090) ? 9090 : Ports.free();
    prometheus[0] =
        PrometheusServer.onAddress(promHost, port, "- job_name: none\n  static_configs: []\n");
    say(
        "prometheus (Debian's) on "
            + prometheus[0].address()
            + ", scraping the sample app by pod-template hash");

    Path rollout = Crds.repoRoot().resolve("samples/rollouts/demo-local.yaml");
    say("kubectl apply -f " + Crds.repoRoot().relativize(rollout));
    String yaml =
        Files.readString(rollout).replace("http://127.0.0.1:9090", prometheus[0].address());
    if (real) {
      // Every revision runs the sample-app image; VERSION, ERROR_RATE and LATENCY_MS make them
      // differ.
      yaml =
          yaml.replace(
              "image: registry.example.com/demo-app:1.0.0",
              "image: "
                  + Images.SAMPLE_APP
                  + "\n        imagePullPolicy: Never"
                  + "\n        readinessProbe: {httpGet: {path: /healthz, port: 8080}, periodSeconds: 1}");
    }
    Path applied = cp.dir().resolve("demo-local.yaml");
    Files.writeString(applied, yaml);
    check(kubectl.run(null, "apply", "-f", applied.toString()));
    if (real) {
      traffic[0] =
          new PodTraffic(
              cp.admin(),
              NS,
              "demo",
              "demo",
              cp.node().orElseThrow().podAddressPrefix(),
              8080,
              prometheus[0],
              25);
      say(
          "sample app: containers on the pod bridge; 25 requests/s to the pods, split by the HTTPRoute's weights");
    } else {
      traffic[0] = new LoopbackTraffic(cp.admin(), NS, "demo", "demo", prometheus[0], 25);
      say(
          "sample app: one process per revision on 127.0.0.1, 25 requests/s split by the HTTPRoute's weights");
    }
    watch(
        cp,
        s -> s.state() == RevisionState.Stable && s.canaryRevision() == null,
        Duration.ofMinutes(3));
    say(
        "first revision is stable. In another shell: export KUBECONFIG="
            + cp.adminKubeconfig()
            + "; kubectl get rollouts.slipway.dev -w");

    say("a good canary: version 1.1.0, healthy");
    deploy(kubectl, real, "1.1.0", "0", "0");
    String before = status(cp).stableRevision();
    watch(
        cp,
        s ->
            s.state() == RevisionState.Stable
                && s.canaryRevision() == null
                && !before.equals(s.stableRevision()),
        Duration.ofMinutes(3));
    System.out.println(kubectl.run(null, "get", "rollouts.slipway.dev", "demo").out());

    say(
        "a bad canary: version 1.2.0-broken, which fails 20% of its requests; analysis will catch it");
    deploy(kubectl, real, "1.2.0-broken", "0.2", "0");
    watch(
        cp,
        s ->
            s.state() == RevisionState.RolledBack
                && s.message() != null
                && s.message().contains("canary scaled down"),
        Duration.ofMinutes(3));
    System.out.println(kubectl.run(null, "get", "rollouts.slipway.dev", "demo").out());
    System.out.println(
        kubectl
            .run(
                null,
                "get",
                "events",
                "--field-selector",
                "involvedObject.name=demo",
                "--sort-by=.lastTimestamp",
                "-o",
                "custom-columns=TYPE:.type,REASON:.reason,MESSAGE:.message")
            .out());
    String bad = status(cp).canaryRevision();
    say("the evidence of the rolled-back revision, exported and verified with the kubectl plugin:");
    Path evidence = cp.dir().resolve("evidence-" + bad + ".jsonl");
    Path csv = cp.dir().resolve("evidence-" + bad + ".csv");
    Path pem = cp.dir().resolve("evidence-public.pem");
    say(
        "kubectl slipway evidence export demo --revision "
            + bad
            + " --format jsonl --file "
            + evidence);
    check(
        kubectl.plugin(
            "evidence",
            "export",
            "demo",
            "--revision",
            bad,
            "--format",
            "jsonl",
            "--file",
            evidence.toString()));
    check(
        kubectl.plugin(
            "evidence",
            "export",
            "demo",
            "--revision",
            bad,
            "--format",
            "csv",
            "--file",
            csv.toString()));
    Kubectl.Result key = kubectl.plugin("evidence", "public-key");
    Files.writeString(pem, key.out());
    say(
        "kubectl slipway evidence verify "
            + evidence.getFileName()
            + " --public-key "
            + pem.getFileName());
    check(
        kubectl.plugin("evidence", "verify", evidence.toString(), "--public-key", pem.toString()));
    say("what the record says (CSV: seq, time, kind, summary):");
    Files.readAllLines(csv).stream()
        .skip(1)
        .map(l -> l.split(",", 8))
        .filter(
            c -> c.length > 6 && !c[2].equals("WeightWritten") && !c[2].equals("TransitionApplied"))
        .forEach(
            c ->
                System.out.println(
                    "  " + c[0] + "  " + c[1] + "  " + String.format("%-16s", c[2]) + c[6]));
    say(
        "DORA from the verified evidence (every record's chain and signatures checked first): kubectl slipway dora --since 1d");
    check(kubectl.plugin("dora", "--since", "1d"));
    say(
        "one row per change for a SOC 2 reviewer: kubectl slipway evidence export demo --format soc2");
    check(kubectl.plugin("evidence", "export", "demo", "--format", "soc2"));
    if (keep) {
      say("--keep: cluster stays up until Ctrl-C. export KUBECONFIG=" + cp.adminKubeconfig());
      Thread.currentThread().join();
    }
    say("done.");
  }

  /**
   * What a Git commit of a new version does, as a kubectl patch (kubectl set image knows no CRDs):
   * on KWOK a made-up image per version; on the real node the sample-app image, told its version.
   */
  static void deploy(
      Kubectl kubectl, boolean real, String version, String errorRate, String latencyMs) {
    String image = real ? Images.SAMPLE_APP : "registry.example.com/demo-app:" + version;
    String patch =
        "[{\"op\":\"replace\",\"path\":\"/spec/template/spec/containers/0/image\",\"value\":\""
            + image
            + "\"},"
            + "{\"op\":\"replace\",\"path\":\"/spec/template/spec/containers/0/env\",\"value\":["
            + "{\"name\":\"ERROR_RATE\",\"value\":\""
            + errorRate
            + "\"},{\"name\":\"LATENCY_MS\",\"value\":\""
            + latencyMs
            + "\"},"
            + "{\"name\":\"VERSION\",\"value\":\""
            + version
            + "\"}]}]";
    // What CI stamps on the change before Argo CD applies it: the commit's time and author (DORA's
    // lead time counts from the first; a manual gate's approver is checked against the second).
    String commitTime = Instant.now().minusSeconds(900).truncatedTo(ChronoUnit.SECONDS).toString();
    String author = version.contains("broken") ? "mallory@example.com" : "alice@example.com";
    say(
        "kubectl annotate --overwrite rollout.slipway.dev/demo slipway.dev/commit-time="
            + commitTime
            + " slipway.dev/author="
            + author);
    check(
        kubectl.run(
            null,
            "annotate",
            "--overwrite",
            "rollout.slipway.dev/demo",
            "slipway.dev/commit-time=" + commitTime,
            "slipway.dev/author=" + author,
            "slipway.dev/commit=" + Integer.toHexString(version.hashCode())));
    say("kubectl patch rollout.slipway.dev/demo --type=json -p '" + patch + "'");
    check(kubectl.run(null, "patch", "rollout.slipway.dev/demo", "--type=json", "-p", patch));
  }

  static RolloutStatus status(LocalControlPlane cp) {
    Rollout r = cp.admin().resources(Rollout.class).inNamespace(NS).withName("demo").get();
    return r == null ? null : r.getStatus();
  }

  static void watch(LocalControlPlane cp, Predicate<RolloutStatus> done, Duration timeout)
      throws InterruptedException {
    Instant end = Instant.now().plus(timeout);
    String last = "";
    String lastVerdicts = "";
    while (Instant.now().isBefore(end)) {
      RolloutStatus s = status(cp);
      if (s != null) {
        String line =
            String.format(
                "%-11s %-10s step %s/%d  weight %s->%s  %s",
                s.phase(),
                s.state(),
                s.currentStepIndex() == null ? "-" : s.currentStepIndex(),
                steps(cp),
                s.desiredWeight() == null ? "-" : s.desiredWeight(),
                s.verifiedWeight() == null ? "-" : s.verifiedWeight(),
                s.message());
        String verdicts = verdicts(s);
        if (!line.equals(last) || !verdicts.equals(lastVerdicts)) {
          System.out.println(
              "  "
                  + LocalTime.now(ZoneId.systemDefault()).truncatedTo(ChronoUnit.SECONDS)
                  + "  "
                  + line);
          if (!verdicts.isEmpty() && !verdicts.equals(lastVerdicts)) {
            System.out.println("            analysis: " + verdicts);
          }
          last = line;
          lastVerdicts = verdicts;
        }
        if (done.test(s)) {
          return;
        }
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("demo step did not finish in " + timeout);
  }

  /** Each run's metrics as name=value (condition) verdict. */
  static String verdicts(RolloutStatus s) {
    if (s.analysisRuns() == null) return "";
    StringBuilder b = new StringBuilder();
    for (var run : s.analysisRuns()) {
      b.append("step ")
          .append(run.step() == null ? "bg" : run.step() + 1)
          .append(' ')
          .append(run.verdict())
          .append(": ");
      if (run.metrics() != null) {
        for (var m : run.metrics()) {
          b.append(m.name())
              .append('=')
              .append(m.value() == null ? "n/a" : String.format("%.3f", m.value()))
              .append(" (")
              .append(m.condition())
              .append(") ")
              .append(m.verdict())
              .append("  ");
        }
      } else {
        b.append(run.message());
      }
    }
    return b.toString().strip();
  }

  static int steps(LocalControlPlane cp) {
    Rollout r = cp.admin().resources(Rollout.class).inNamespace(NS).withName("demo").get();
    return r.getSpec().strategy().plan().stepsOrEmpty().size();
  }

  static void check(Kubectl.Result r) {
    System.out.print(r.out().lines().map(l -> "  " + l + "\n").reduce("", String::concat));
    if (r.exit() != 0) {
      throw new IllegalStateException("kubectl failed: " + r.out());
    }
  }

  static void say(String s) {
    System.out.println("demo: " + s);
  }
}
