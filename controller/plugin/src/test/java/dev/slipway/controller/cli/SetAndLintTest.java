package dev.slipway.controller.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.api.v1alpha1.Rollout;
import dev.slipway.controller.testing.MockCluster;
import dev.slipway.controller.testing.TestRollouts;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * set image (kubectl's verb) and lint (offline here; PluginPackageE2ETest runs it against a real
 * API server's CEL rules).
 */
class SetAndLintTest {
  @Test
  void setImageChangesOnlyTheNamedContainer() throws Exception {
    try (MockCluster m = new MockCluster()) {
      Rollout r = TestRollouts.withName(TestRollouts.spec(2, "app:1"), "web", "shop");
      r.getSpec()
          .template()
          .getSpec()
          .getContainers()
          .add(new ContainerBuilder().withName("sidecar").withImage("proxy:1").build());
      m.client.resource(r).create();
      String kc = TestKubeconfig.pointingAt(m.client.getMasterUrl().toString()).toString();
      String app = r.getSpec().template().getSpec().getContainers().get(0).getName();
      var run =
          CliOutputTest.run(
              "set", "image", "web", app + "=app:2", "-n", "shop", "--kubeconfig", kc);
      assertEquals(0, run.exit(), run.err());
      assertTrue(run.out().contains("image updated: " + app + "=app:2"), run.out());
      var containers =
          m.client
              .resources(Rollout.class)
              .inNamespace("shop")
              .withName("web")
              .get()
              .getSpec()
              .template()
              .getSpec()
              .getContainers();
      assertEquals("app:2", containers.get(0).getImage());
      assertEquals("proxy:1", containers.get(1).getImage(), "the other container is left alone");

      var missing =
          CliOutputTest.run("set", "image", "web", "nope=x:1", "-n", "shop", "--kubeconfig", kc);
      assertEquals(2, missing.exit());
      assertTrue(missing.err().contains("has no container nope"), missing.err());
      var every =
          CliOutputTest.run("set", "image", "web", "*=all:3", "-n", "shop", "--kubeconfig", kc);
      assertEquals(0, every.exit(), every.err());
      assertTrue(
          m
              .client
              .resources(Rollout.class)
              .inNamespace("shop")
              .withName("web")
              .get()
              .getSpec()
              .template()
              .getSpec()
              .getContainers()
              .stream()
              .allMatch(c -> c.getImage().equals("all:3")));
    }
  }

  @Test
  void lintPassesTheSamplesAndNamesEachProblemOffline() throws Exception {
    Path root = Path.of("../..").toAbsolutePath().normalize();
    var good =
        CliOutputTest.run(
            "lint",
            "--offline",
            root.resolve("samples/rollouts/demo.yaml").toString(),
            root.resolve("samples/rollouts/analysed.yaml").toString());
    assertEquals(0, good.exit(), good.out() + good.err());
    assertTrue(good.out().contains("Rollout demo: ok"), good.out());

    Path bad = Files.createTempFile("lint", ".yaml");
    Files.writeString(
        bad,
        Files.readString(root.resolve("samples/rollouts/demo.yaml"))
                .replaceFirst("setWeight: \\d+", "setWieght: 20")
            + "\n---\n# a comment only\n---\n"
            + Files.readString(root.resolve("samples/rollouts/demo.yaml"))
                .replaceFirst("setWeight: \\d+", "setWeight: 120"));
    var r = CliOutputTest.run("lint", "--offline", bad.toString());
    System.out.println(r.out());
    assertEquals(1, r.exit(), r.out());
    assertTrue(
        r.out().contains("Rollout demo: unknown field spec.strategy.canary.steps[0].setWieght"),
        r.out());
    assertTrue(
        r.out()
            .lines()
            .anyMatch(
                l ->
                    l.contains("Rollout demo: spec.strategy.canary.steps[0].setWeight")
                        && l.contains("120")),
        r.out());
    assertTrue(r.out().contains("Service demo-stable: skipped"), r.out());
  }

  /**
   * Issue 27 point 7: what admission cannot see (or an API server without CEL lets by), lint names
   * by field.
   */
  @Test
  void lintRefusesWhatCanOnlyFailLaterAndWarnsOfAnOversizedCanary() throws Exception {
    Path f = Files.createTempFile("lint", ".yaml");
    Files.writeString(
        f,
        """
        apiVersion: slipway.dev/v1alpha1
        kind: AnalysisTemplate
        metadata: {name: slo}
        spec:
          prometheus: {address: 'http://[::ffff:169.254.169.254]:80'}
          metrics:
          - {name: burn, builtin: sloBurnRate, slo: {target: 0.999, period: 0d}}
        ---
        apiVersion: slipway.dev/v1alpha1
        kind: Rollout
        metadata: {name: big}
        spec:
          replicas: 3
          selector: {matchLabels: {app: big}}
          template:
            metadata: {labels: {app: big}}
            spec: {containers: [{name: app, image: app:1}]}
          strategy:
            canary:
              stableService: big-stable
              canaryService: big-canary
              steps:
              - setCanaryScale: {replicas: 5}
        """);
    var r = CliOutputTest.run("lint", "--offline", f.toString());
    System.out.println(r.out());
    assertEquals(1, r.exit(), r.out());
    assertTrue(
        r.out()
            .contains(
                "AnalysisTemplate slo: spec.prometheus.address: host ::ffff:169.254.169.254 resolves to 169.254.169.254"
                    + " (link-local or a metadata address)"),
        r.out());
    assertTrue(
        r.out().contains("AnalysisTemplate slo: spec.metrics[0].slo.period: must be longer than 0"),
        r.out());
    assertTrue(
        r.out().contains("Rollout big: ok")
            && r.out()
                .contains(
                    "Rollout big: warning: spec.strategy.canary.steps[0].setCanaryScale.replicas:"
                        + " 5 is more than spec.replicas (3)"),
        r.out());
  }
}
