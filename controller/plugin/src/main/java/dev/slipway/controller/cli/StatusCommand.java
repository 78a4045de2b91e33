package dev.slipway.controller.cli;

import dev.slipway.api.v1alpha1.Durations;
import dev.slipway.api.v1alpha1.Phase;
import dev.slipway.api.v1alpha1.Rollout;
import dev.slipway.api.v1alpha1.RolloutStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** One line of status with an exit code a script can branch on. */
@Command(
    name = "status",
    description =
        "Print the Rollout's phase and message. Exit codes: 0 Healthy, 1 Degraded, "
            + "2 error (usage, connection, not found), 3 Progressing, 4 Paused. --wait blocks until it is no longer Progressing.")
public final class StatusCommand implements Callable<Integer> {
  public static final int HEALTHY = 0;
  public static final int DEGRADED = 1;
  public static final int PROGRESSING = 3;
  public static final int PAUSED = 4;

  @Mixin KubeOptions kube;
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", description = "The Rollout.")
  String name;

  @Option(names = "--wait", description = "Wait while the Rollout is Progressing.")
  boolean await;

  @Option(
      names = "--timeout",
      defaultValue = "10m",
      description = "How long --wait waits, e.g. 90s, 5m (default: ${DEFAULT-VALUE}).")
  String timeout;

  @Override
  public Integer call() throws InterruptedException {
    try (KubernetesClient client = kube.client()) {
      String ns = kube.namespace(client);
      Instant deadline = Instant.now().plus(Durations.parse(timeout));
      while (true) {
        Rollout r = client.resources(Rollout.class).inNamespace(ns).withName(name).get();
        if (r == null)
          throw new IllegalArgumentException("rollout " + ns + "/" + name + " not found");
        RolloutStatus s = r.getStatus();
        boolean observed =
            s != null
                && r.getMetadata().getGeneration() != null
                && r.getMetadata().getGeneration().equals(s.observedGeneration());
        int code = !observed ? PROGRESSING : codeOf(s.phase());
        if (code != PROGRESSING || !await || Instant.now().isAfter(deadline)) {
          spec.commandLine()
              .getOut()
              .println(
                  (s == null || s.phase() == null
                          ? "Progressing"
                          : observed ? s.phase() : "Progressing")
                      + ": "
                      + (observed
                          ? s.message()
                          : "waiting for the controller to observe generation "
                              + r.getMetadata().getGeneration()));
          spec.commandLine().getOut().flush();
          return code;
        }
        Thread.sleep(Duration.ofSeconds(1).toMillis());
      }
    }
  }

  public static int codeOf(Phase p) {
    if (p == null) return PROGRESSING;
    return switch (p) {
      case Healthy -> HEALTHY;
      case Degraded -> DEGRADED;
      case Paused -> PAUSED;
      case Progressing -> PROGRESSING;
    };
  }
}
