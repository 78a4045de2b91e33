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
  @Option(names = {"-o", "--output"}, description = "wide (more columns), or " + Output.FORMATS + ".") String output;
  @Option(names = "--no-headers", description = "Print the table without its header line.") boolean noHeaders;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    try (KubernetesClient client = kube.client()) {
      KubernetesResourceList<Rollout> list = all ? client.resources(Rollout.class).inAnyNamespace().list()
          : client.resources(Rollout.class).inNamespace(kube.namespace(client)).list();
      if (Output.printsObjects(output)) {
        out.print(Output.format(list, output));
        out.flush();
        return 0;
      }
      boolean wide = "wide".equals(output);
      String row = wide ? "%-16s %-24s %-12s %-11s %-6s %-7s %-8s %-11s %-11s %s" : "%-16s %-24s %-12s %-11s %-6s %-7s %s";
      if (!noHeaders) {
        out.println(String.format(row, wide ? new Object[] {"NAMESPACE", "NAME", "PHASE", "STATE", "STEP", "WEIGHT", "DESIRED", "STABLE",
            "CANARY", "MESSAGE"} : new Object[] {"NAMESPACE", "NAME", "PHASE", "STATE", "STEP", "WEIGHT", "MESSAGE"}));
      }
      for (Rollout r : list.getItems()) {
        RolloutStatus s = r.getStatus() == null ? RolloutStatus.empty() : r.getStatus();
        List<Object> cells = new java.util.ArrayList<>(List.<Object>of(r.getMetadata().getNamespace(), r.getMetadata().getName(),
            s.phase() == null ? "-" : s.phase(), s.state() == null ? "-" : s.state(), s.step() == null ? "-" : s.step(),
            s.verifiedWeight() == null ? "-" : s.verifiedWeight() + "%"));
        if (wide) {
          cells.add(s.desiredWeight() == null ? "-" : s.desiredWeight() + "%");
          cells.add(s.stableRevision() == null ? "-" : s.stableRevision());
          cells.add(s.canaryRevision() == null ? "-" : s.canaryRevision());
        }
        cells.add(s.message() == null ? "" : s.message());
        out.println(String.format(row, cells.toArray()));
      }
      out.flush();
      return 0;
    }
  }

  static List<String> names(KubernetesClient client, String ns) {
    return client.resources(Rollout.class).inNamespace(ns).list().getItems().stream().map(r -> r.getMetadata().getName()).toList();
  }
}
