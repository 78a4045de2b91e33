package dev.slipway.controller.cli;

import dev.slipway.api.v1alpha1.Rollout;
import dev.slipway.api.v1alpha1.RolloutStatus;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "list", description = "List Rollouts with phase, step and weight.")
public final class ListCommand implements Callable<Integer> {
  @Mixin KubeOptions kube;
  @Spec picocli.CommandLine.Model.CommandSpec spec;
  @Option(names = {"-A", "--all-namespaces"}, description = "Across all namespaces.") boolean all;
  @Option(names = {"-o", "--output"}, description = "json or yaml.") String output;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    try (KubernetesClient client = kube.client()) {
      KubernetesResourceList<Rollout> list = all ? client.resources(Rollout.class).inAnyNamespace().list()
          : client.resources(Rollout.class).inNamespace(kube.namespace(client)).list();
      if (output != null) {
        out.print(Output.format(list, output));
        out.flush();
        return 0;
      }
      out.println(String.format("%-16s %-24s %-12s %-11s %-6s %-7s %s", "NAMESPACE", "NAME", "PHASE", "STATE", "STEP", "WEIGHT", "MESSAGE"));
      for (Rollout r : list.getItems()) {
        RolloutStatus s = r.getStatus() == null ? RolloutStatus.empty() : r.getStatus();
        out.println(String.format("%-16s %-24s %-12s %-11s %-6s %-7s %s", r.getMetadata().getNamespace(), r.getMetadata().getName(),
            s.phase() == null ? "-" : s.phase(), s.state() == null ? "-" : s.state(),
            s.step() == null ? "-" : s.step(),
            s.verifiedWeight() == null ? "-" : s.verifiedWeight() + "%", s.message() == null ? "" : s.message()));
      }
      out.flush();
      return 0;
    }
  }

  static List<String> names(KubernetesClient client, String ns) {
    return client.resources(Rollout.class).inNamespace(ns).list().getItems().stream().map(r -> r.getMetadata().getName()).toList();
  }
}
