package dev.slipway.e2e.demo;

import dev.slipway.api.v1alpha1.Rollout;
import dev.slipway.api.v1alpha1.RolloutStatus;
import dev.slipway.e2e.cluster.ControllerUnderTest;
import dev.slipway.e2e.cluster.Crds;
import dev.slipway.e2e.cluster.Kubectl;
import dev.slipway.e2e.cluster.LocalControlPlane;
import dev.slipway.e2e.gateway.StandInGateway;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.function.Predicate;

/**
 * The README's first command: a local cluster, the controller under its own RBAC, a demo
 * Rollout, a good canary walked to Stable, then a bad one rolled back. Ctrl-C tears it all down.
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
    say("starting a local Kubernetes control plane (etcd, kube-apiserver, controller-manager, scheduler, KWOK)...");
    LocalControlPlane cp = LocalControlPlane.withNodes();
    ControllerUnderTest[] controller = new ControllerUnderTest[1];
    StandInGateway[] gateway = new StandInGateway[1];
    Thread teardown = new Thread(() -> {
      if (gateway[0] != null) gateway[0].close();
      if (controller[0] != null) controller[0].close();
      cp.close();
      System.out.println("demo: torn down (control plane stopped, temp files in " + cp.dir() + ")");
    });
    Runtime.getRuntime().addShutdownHook(teardown);

    say("cluster: " + cp.describe());
    Crds.installSlipway(cp.admin());
    Crds.installGatewayApi(cp.admin());
    Kubectl kubectl = new Kubectl(cp.adminKubeconfig());
    check(kubectl.run(null, "apply", "-f", Crds.repoRoot().resolve("samples/install/rbac.yaml").toString()));
    controller[0] = ControllerUnderTest.start(cp);
    say("controller running as system:serviceaccount:slipway-system:slipway-controller (least privilege)");
    gateway[0] = new StandInGateway(cp.admin());

    Path rollout = Crds.repoRoot().resolve("samples/rollouts/demo-local.yaml");
    say("kubectl apply -f " + Crds.repoRoot().relativize(rollout));
    check(kubectl.run(null, "apply", "-f", rollout.toString()));
    watch(cp, s -> s.state() == dev.slipway.api.v1alpha1.RevisionState.Stable && s.canaryRevision() == null, Duration.ofMinutes(3));
    say("first revision is stable. In another shell: export KUBECONFIG=" + cp.adminKubeconfig()
        + "; kubectl get rollouts.slipway.dev -w");

    say("a good canary: image demo-app:1.1.0");
    setImage(kubectl, "registry.example.com/demo-app:1.1.0");
    String before = status(cp).stableRevision();
    watch(cp, s -> s.state() == dev.slipway.api.v1alpha1.RevisionState.Stable && s.canaryRevision() == null
        && !before.equals(s.stableRevision()), Duration.ofMinutes(3));
    System.out.println(kubectl.run(null, "get", "rollouts.slipway.dev", "demo").out());

    say("a bad canary: image demo-app:1.2.0-broken; the release engineer aborts at 20%:");
    setImage(kubectl, "registry.example.com/demo-app:1.2.0-broken");
    watch(cp, s -> s.verifiedWeight() != null && s.verifiedWeight() == 20, Duration.ofMinutes(2));
    String oneLiner = "kubectl patch rollout.slipway.dev demo --subresource=status --type=merge -p '{\"status\":{\"request\":{\"action\":\"Abort\"}}}'";
    say(oneLiner);
    check(kubectl.run(null, "patch", "rollout.slipway.dev", "demo", "--subresource=status", "--type=merge",
        "-p", "{\"status\":{\"request\":{\"action\":\"Abort\"}}}"));
    watch(cp, s -> s.state() == dev.slipway.api.v1alpha1.RevisionState.RolledBack && s.message() != null
        && s.message().contains("canary scaled down"), Duration.ofMinutes(2));
    System.out.println(kubectl.run(null, "get", "rollouts.slipway.dev", "demo").out());
    System.out.println(kubectl.run(null, "get", "events", "--field-selector", "involvedObject.name=demo",
        "--sort-by=.lastTimestamp", "-o", "custom-columns=TYPE:.type,REASON:.reason,MESSAGE:.message").out());
    say("evidence export arrives with the evidence feature (issue 5).");
    if (keep) {
      say("--keep: cluster stays up until Ctrl-C. export KUBECONFIG=" + cp.adminKubeconfig());
      Thread.currentThread().join();
    }
    say("done.");
  }

  /** What a Git commit changing the image does, as a kubectl patch (kubectl set image knows no CRDs). */
  static void setImage(Kubectl kubectl, String image) {
    String patch = "[{\"op\":\"replace\",\"path\":\"/spec/template/spec/containers/0/image\",\"value\":\"" + image + "\"}]";
    say("kubectl patch rollout.slipway.dev/demo --type=json -p '" + patch + "'");
    check(kubectl.run(null, "patch", "rollout.slipway.dev/demo", "--type=json", "-p", patch));
  }

  static RolloutStatus status(LocalControlPlane cp) {
    Rollout r = cp.admin().resources(Rollout.class).inNamespace(NS).withName("demo").get();
    return r == null ? null : r.getStatus();
  }

  static void watch(LocalControlPlane cp, Predicate<RolloutStatus> done, Duration timeout) throws InterruptedException {
    Instant end = Instant.now().plus(timeout);
    String last = "";
    while (Instant.now().isBefore(end)) {
      RolloutStatus s = status(cp);
      if (s != null) {
        String line = String.format("%-11s %-10s step %s/%d  weight %s->%s  %s", s.phase(), s.state(),
            s.currentStepIndex() == null ? "-" : s.currentStepIndex(), steps(cp),
            s.desiredWeight() == null ? "-" : s.desiredWeight(), s.verifiedWeight() == null ? "-" : s.verifiedWeight(), s.message());
        if (!line.equals(last)) {
          System.out.println("  " + LocalTime.now().truncatedTo(ChronoUnit.SECONDS) + "  " + line);
          last = line;
        }
        if (done.test(s)) {
          return;
        }
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("demo step did not finish in " + timeout);
  }

  static int steps(LocalControlPlane cp) {
    Rollout r = cp.admin().resources(Rollout.class).inNamespace(NS).withName("demo").get();
    return r.getSpec().strategy().canary().stepsOrEmpty().size();
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
