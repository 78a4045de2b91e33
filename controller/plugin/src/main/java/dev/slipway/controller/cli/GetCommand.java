package dev.slipway.controller.cli;

import dev.slipway.api.v1alpha1.Rollout;
import dev.slipway.controller.kube.ReplicaSets;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "get",
    description = "Show one Rollout: steps, weights, revisions, analysis.",
    subcommands = GetCommand.GetRollout.class)
public final class GetCommand {

  @Command(
      name = "rollout",
      aliases = {"rollouts", "ro"},
      description = "Show a Rollout; --watch redraws it on every change.")
  static final class GetRollout implements Callable<Integer> {
    @Mixin KubeOptions kube;
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", description = "The Rollout.")
    String name;

    @Option(
        names = {"-w", "--watch"},
        description = "Keep watching; redraw on every change (Ctrl-C to stop).")
    boolean watch;

    @Option(
        names = {"-o", "--output"},
        description = Output.FORMATS + ": print the object instead.")
    String output;

    @Option(names = "--width", description = "Terminal width (default: $COLUMNS, else 100).")
    Integer width;

    @Override
    public Integer call() throws Exception {
      int w =
          width != null
              ? width
              : System.getenv("COLUMNS") != null ? Integer.parseInt(System.getenv("COLUMNS")) : 100;
      PrintWriter out = spec.commandLine().getOut();
      try (KubernetesClient client = kube.client()) {
        String ns = kube.namespace(client);
        Rollout r = client.resources(Rollout.class).inNamespace(ns).withName(name).get();
        if (r == null) {
          throw new IllegalArgumentException("rollout " + ns + "/" + name + " not found");
        }
        if (output != null) {
          out.print(Output.format(r, output));
          out.flush();
          return 0;
        }
        out.print(RolloutView.render(r, new ReplicaSets(client).owned(r), w));
        out.flush();
        if (!watch) return 0;
        CountDownLatch gone = new CountDownLatch(1);
        String[] shown = {r.getMetadata().getResourceVersion()};
        try (Watch ignored =
            client
                .resources(Rollout.class)
                .inNamespace(ns)
                .withName(name)
                .watch(
                    new Watcher<>() {
                      @Override
                      public void eventReceived(Action action, Rollout changed) {
                        if (action == Action.DELETED) {
                          out.println("rollout " + name + " was deleted");
                          out.flush();
                          gone.countDown();
                          return;
                        }
                        // The watch opens with the object as it is; that frame is already on
                        // screen.
                        if (changed.getMetadata().getResourceVersion().equals(shown[0])) {
                          return;
                        }
                        shown[0] = changed.getMetadata().getResourceVersion();
                        // Clear the screen and redraw, as kubectl's watch tools do.
                        out.print(
                            "\033[H\033[2J"
                                + RolloutView.render(
                                    changed, new ReplicaSets(client).owned(changed), w));
                        out.flush();
                      }

                      @Override
                      public void onClose(WatcherException e) {
                        gone.countDown();
                      }
                    })) {
          gone.await();
        }
        return 0;
      }
    }
  }
}
