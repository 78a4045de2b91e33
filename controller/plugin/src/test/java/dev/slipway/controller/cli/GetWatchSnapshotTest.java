package dev.slipway.controller.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.analysis.Verdict;
import dev.slipway.api.v1alpha1.AnalysisRunStatus;
import dev.slipway.api.v1alpha1.AnalysisStep;
import dev.slipway.api.v1alpha1.CanaryStep;
import dev.slipway.api.v1alpha1.MetricStatus;
import dev.slipway.api.v1alpha1.PauseCondition;
import dev.slipway.api.v1alpha1.PauseReason;
import dev.slipway.api.v1alpha1.Phase;
import dev.slipway.api.v1alpha1.RevisionState;
import dev.slipway.api.v1alpha1.Rollout;
import dev.slipway.api.v1alpha1.RolloutStatus;
import dev.slipway.controller.testing.MockCluster;
import dev.slipway.controller.testing.TestRollouts;
import dev.slipway.testing.TestTime;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * `kubectl slipway get rollout --watch` against a (mock) API server: a Rollout walks through a
 * canary while the command watches; every frame, rendered at 80 columns, must match the committed
 * snapshot. Update it with -Dslipway.updateSnapshots=true after an intended change.
 */
class GetWatchSnapshotTest {
  static final Path SNAPSHOT = Path.of("src/test/resources/snapshots/get-rollout-watch-80.txt");

  @Test
  void watchFramesMatchTheSnapshot() throws Exception {
    try (MockCluster m = new MockCluster()) {
      Path kubeconfig = TestKubeconfig.pointingAt(m.client.getMasterUrl().toString());
      Rollout r =
          TestRollouts.withName(
              TestRollouts.spec(
                  "shop/web:2",
                  CanaryStep.weight(20),
                  CanaryStep.analysis(AnalysisStep.templates("success-rate")),
                  CanaryStep.pause(null),
                  CanaryStep.weight(60)),
              "web",
              "shop");
      r.getMetadata().setGeneration(1L);
      r.setStatus(
          status(
              b -> {
                b.phase = Phase.Healthy;
                b.state = RevisionState.Stable;
                b.message = "revision 6d5f7c9b8a is stable";
                b.stableRevision = "6d5f7c9b8a";
                b.desiredWeight = 0;
                b.verifiedWeight = 0;
              }));
      m.client.resource(r).create();

      StringWriter out = new StringWriter();
      picocli.CommandLine cli = SlipwayCli.commandLine();
      cli.setOut(new PrintWriter(out, true));
      CompletableFuture<Integer> watching =
          CompletableFuture.supplyAsync(
              () ->
                  cli.execute(
                      "get",
                      "rollout",
                      "web",
                      "--watch",
                      "--width",
                      "80",
                      "--kubeconfig",
                      kubeconfig.toString()));
      awaitFrames(out, 1);

      update(
          m,
          b -> {
            b.phase = Phase.Progressing;
            b.state = RevisionState.Canary;
            b.canaryRevision = "7f8e9d0c1b";
            b.currentStepIndex = 1;
            b.desiredWeight = 20;
            b.verifiedWeight = 20;
            b.message = "step 2/4: analysis running (measuring)";
            b.analysisRuns =
                List.of(
                    new AnalysisRunStatus(
                        1,
                        "Running",
                        "measuring",
                        List.of(
                            new MetricStatus(
                                "success-rate",
                                Verdict.Running.name(),
                                "1 of 3 measurements taken",
                                0.9987,
                                null,
                                "value >= 0.99",
                                1,
                                0,
                                0,
                                0,
                                null))));
          });
      awaitFrames(out, 2);
      update(
          m,
          b -> {
            b.phase = Phase.Paused;
            b.state = RevisionState.Paused;
            b.currentStepIndex = 2;
            b.message = "paused: step 3/4: paused until resumed";
            b.analysisRuns =
                List.of(
                    new AnalysisRunStatus(
                        1,
                        "Successful",
                        "every metric met its condition",
                        List.of(
                            new MetricStatus(
                                "success-rate",
                                Verdict.Successful.name(),
                                "3 of 3 measurements successful",
                                0.9991,
                                null,
                                "value >= 0.99",
                                3,
                                0,
                                0,
                                0,
                                null))));
            b.pauseConditions =
                List.of(
                    new PauseCondition(
                        PauseReason.PauseStep,
                        "2026-01-01T00:00:00Z",
                        null,
                        "step 3/4: paused until resumed"));
          });
      awaitFrames(out, 3);
      m.client.resources(Rollout.class).inNamespace("shop").withName("web").delete();
      assertEquals(0, watching.get(TestTime.seconds(20), TimeUnit.SECONDS));

      String frames = out.toString().replace("\033[H\033[2J", "\n=== frame (screen cleared) ===\n");
      if (System.getProperty("slipway.updateSnapshots") != null) {
        Files.writeString(SNAPSHOT, frames);
      }
      assertTrue(
          Files.exists(SNAPSHOT), "no snapshot yet: run with -Dslipway.updateSnapshots=true");
      assertEquals(
          Files.readString(SNAPSHOT),
          frames,
          "get --watch output changed; if intended, update the snapshot");
      for (String line : frames.split("\n")) {
        assertTrue(line.length() <= 80, "wider than 80 columns: " + line);
      }
    }
  }

  static RolloutStatus status(Consumer<RolloutStatus.Builder> edit) {
    RolloutStatus.Builder b = RolloutStatus.empty().toBuilder();
    b.observedGeneration = 1L;
    edit.accept(b);
    return b.build();
  }

  static void update(MockCluster m, Consumer<RolloutStatus.Builder> edit) {
    Rollout r = m.client.resources(Rollout.class).inNamespace("shop").withName("web").get();
    RolloutStatus.Builder b = r.getStatus().toBuilder();
    edit.accept(b);
    r.setStatus(b.build());
    m.client.resource(r).updateStatus();
  }

  static void awaitFrames(StringWriter out, int n) throws InterruptedException {
    Instant deadline = Instant.now().plus(TestTime.of(Duration.ofSeconds(20)));
    while (Instant.now().isBefore(deadline)) {
      if (out.toString().split("Name: ", -1).length - 1 >= n) return;
      Thread.sleep(50);
    }
    throw new AssertionError("expected " + n + " frames, got:\n" + out);
  }
}
