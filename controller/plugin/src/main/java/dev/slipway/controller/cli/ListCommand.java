package dev.slipway.controller.cli;

import dev.slipway.api.v1alpha1.Rollout;
import dev.slipway.api.v1alpha1.RolloutStatus;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.PrintWriter;
import java.util.ArrayList;
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

  @Option(
      names = {"-A", "--all-namespaces"},
      description = "Across all namespaces.")
  boolean all;

  @Option(
      names = {"-o", "--output"},
      description = "wide (more columns), or " + Output.FORMATS + ".")
  String output;

  @Option(names = "--no-headers", description = "Print the table without its header line.")
  boolean noHeaders;

  /** Named in full, so that no discovery request comes first. */
  static final ResourceDefinitionContext ROLLOUTS =
      ResourceDefinitionContext.fromResourceType(Rollout.class);

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    try (KubernetesClient client = kube.client()) {
      // Generic objects: a table needs metadata and status only, and reading the pod template into
      // typed objects costs Jackson a deserializer per class of PodSpec, most of a cold start.
      var rollouts = client.genericKubernetesResources(ROLLOUTS);
      GenericKubernetesResourceList list =
          all
              ? rollouts.inAnyNamespace().list()
              : rollouts.inNamespace(kube.namespace(client)).list();
      if (Output.printsObjects(output)) {
        out.print(Output.format(list, output));
        out.flush();
        return 0;
      }
      boolean wide = "wide".equals(output);
      String row =
          wide
              ? "%-16s %-24s %-12s %-11s %-6s %-7s %-8s %-11s %-11s %s"
              : "%-16s %-24s %-12s %-11s %-6s %-7s %s";
      if (!noHeaders) {
        out.println(
            String.format(
                row,
                wide
                    ? new Object[] {
                      "NAMESPACE",
                      "NAME",
                      "PHASE",
                      "STATE",
                      "STEP",
                      "WEIGHT",
                      "DESIRED",
                      "STABLE",
                      "CANARY",
                      "MESSAGE"
                    }
                    : new Object[] {
                      "NAMESPACE", "NAME", "PHASE", "STATE", "STEP", "WEIGHT", "MESSAGE"
                    }));
      }
      for (GenericKubernetesResource r : list.getItems()) {
        Object raw = r.getAdditionalProperties().get("status");
        RolloutStatus s =
            raw == null
                ? RolloutStatus.empty()
                : Serialization.jsonMapper().convertValue(raw, RolloutStatus.class);
        List<Object> cells =
            new ArrayList<>(
                List.<Object>of(
                    r.getMetadata().getNamespace(),
                    r.getMetadata().getName(),
                    s.phase() == null ? "-" : s.phase(),
                    s.state() == null ? "-" : s.state(),
                    s.step() == null ? "-" : s.step(),
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
    return client.resources(Rollout.class).inNamespace(ns).list().getItems().stream()
        .map(r -> r.getMetadata().getName())
        .toList();
  }
}
