package dev.slipway.controller.cli;

import dev.slipway.api.v1alpha1.Rollout;
import dev.slipway.controller.kube.Labels;
import dev.slipway.controller.kube.ReplicaSets;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Puts an earlier revision's pod template back into spec.template; the controller then canaries it
 * (or, if it is the stable one, rolls back fast). This edits spec: under Argo CD, Git wins again at
 * the next sync unless the change is committed there too, so the command says so.
 */
@Command(
    name = "undo",
    description =
        "Roll the template back to an earlier revision (default: the newest one that is not the stable revision).")
public final class UndoCommand implements Callable<Integer> {
  @Mixin KubeOptions kube;
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", description = "The Rollout.")
  String name;

  @Option(
      names = "--to-revision",
      description =
          "The pod-template hash to go back to (see kubectl get rs -l slipway.dev/rollout=NAME).")
  String toRevision;

  @Override
  public Integer call() {
    try (KubernetesClient client = kube.client()) {
      String ns = kube.namespace(client);
      Rollout r = client.resources(Rollout.class).inNamespace(ns).withName(name).get();
      if (r == null)
        throw new IllegalArgumentException("rollout " + ns + "/" + name + " not found");
      String current =
          r.getStatus() == null
              ? null
              : r.getStatus().canaryRevision() != null
                  ? r.getStatus().canaryRevision()
                  : r.getStatus().stableRevision();
      Collection<ReplicaSet> rss = new ReplicaSets(client).owned(r).values();
      ReplicaSet target =
          toRevision != null
              ? rss.stream()
                  .filter(rs -> toRevision.equals(hash(rs)))
                  .findFirst()
                  .orElseThrow(
                      () ->
                          new IllegalArgumentException(
                              "no ReplicaSet of revision "
                                  + toRevision
                                  + " (kept: "
                                  + rss.stream().map(UndoCommand::hash).toList()
                                  + ")"))
              : rss.stream()
                  .filter(rs -> !hash(rs).equals(current))
                  // Newest first; creation times tie within a second, and the last one scaled down
                  // was changed last.
                  .max(
                      Comparator.comparing(
                              (ReplicaSet rs) -> rs.getMetadata().getCreationTimestamp())
                          .thenComparing(
                              rs -> Long.parseLong(rs.getMetadata().getResourceVersion())))
                  .orElseThrow(
                      () ->
                          new IllegalArgumentException(
                              "no earlier revision is kept (revisionHistoryLimit)"));
      PodTemplateSpec template = Serialization.clone(target.getSpec().getTemplate());
      Map<String, String> labels = new HashMap<>(template.getMetadata().getLabels());
      labels.remove(Labels.POD_TEMPLATE_HASH);
      labels.remove(Labels.ROLLOUT);
      template.getMetadata().setLabels(labels);
      String patch = "{\"spec\":{\"template\":" + Serialization.asJson(template) + "}}";
      client
          .resources(Rollout.class)
          .inNamespace(ns)
          .withName(name)
          .patch(
              new PatchContext.Builder()
                  .withPatchType(PatchType.JSON_MERGE)
                  .withFieldManager("kubectl-slipway")
                  .build(),
              patch);
      spec.commandLine()
          .getOut()
          .println("rollout.slipway.dev/" + name + " template set to revision " + hash(target));
      spec.commandLine()
          .getErr()
          .println(
              "note: this changed spec.template; if Argo CD manages this Rollout, commit the same change to Git or the next sync reverts it");
      spec.commandLine().getOut().flush();
      return 0;
    }
  }

  static String hash(ReplicaSet rs) {
    return rs.getMetadata().getLabels() == null
        ? ""
        : rs.getMetadata().getLabels().getOrDefault(Labels.POD_TEMPLATE_HASH, "");
  }
}
