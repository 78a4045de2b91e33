package dev.slipway.controller.cli;

import dev.slipway.api.v1alpha1.Rollout;
import dev.slipway.controller.kube.ReplicaSets;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
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
        Redraw.untilGone(
            client.resources(Rollout.class).inNamespace(ns).withName(name),
            r,
            "rollout " + name,
            out,
            changed -> RolloutView.render(changed, new ReplicaSets(client).owned(changed), w));
        return 0;
      }
    }
  }
}
