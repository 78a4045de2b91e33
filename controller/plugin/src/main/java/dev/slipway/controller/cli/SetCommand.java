package dev.slipway.controller.cli;

import dev.slipway.api.v1alpha1.Rollout;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code set image}: kubectl's verb for a Rollout's pod template. */
@Command(
    name = "set",
    description = "Change a Rollout's pod template.",
    subcommands = SetCommand.Image.class)
public final class SetCommand {

  /**
   * Sets container images, as {@code kubectl set image} does: a new revision, so the controller
   * starts a canary. It edits spec: under Argo CD, commit the same change to Git.
   */
  @Command(
      name = "image",
      description =
          "Set container images: NAME CONTAINER=IMAGE [CONTAINER=IMAGE…] ('*' for every container).")
  public static final class Image implements Callable<Integer> {
    @Mixin KubeOptions kube;
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", description = "The Rollout.")
    String name;

    @Parameters(index = "1..*", arity = "1..*", description = "CONTAINER=IMAGE, one or more.")
    List<String> images;

    @Override
    public Integer call() {
      Map<String, String> wanted = new LinkedHashMap<>();
      for (String pair : images) {
        int eq = pair.indexOf('=');
        if (eq <= 0 || eq == pair.length() - 1)
          throw new IllegalArgumentException("expected CONTAINER=IMAGE, not " + pair);
        wanted.put(pair.substring(0, eq), pair.substring(eq + 1));
      }
      try (KubernetesClient client = kube.client()) {
        String ns = kube.namespace(client);
        Rollout r = client.resources(Rollout.class).inNamespace(ns).withName(name).get();
        if (r == null)
          throw new IllegalArgumentException("rollout " + ns + "/" + name + " not found");
        if (r.getSpec().template() == null) {
          throw new IllegalArgumentException(
              "rollout "
                  + ns
                  + "/"
                  + name
                  + " runs the pod template of Deployment "
                  + (r.getSpec().workloadRef() == null ? "?" : r.getSpec().workloadRef().name())
                  + " (spec.workloadRef): set the image there (kubectl set image deployment/...)");
        }
        List<Container> containers = r.getSpec().template().getSpec().getContainers();
        List<String> ops = new ArrayList<>();
        List<String> changed = new ArrayList<>();
        for (String c : wanted.keySet()) {
          if (!c.equals("*") && containers.stream().noneMatch(x -> x.getName().equals(c))) {
            throw new IllegalArgumentException(
                "rollout "
                    + ns
                    + "/"
                    + name
                    + " has no container "
                    + c
                    + " (it has "
                    + containers.stream().map(Container::getName).toList()
                    + ")");
          }
        }
        for (int i = 0; i < containers.size(); i++) {
          Container c = containers.get(i);
          String image = wanted.getOrDefault(c.getName(), wanted.get("*"));
          if (image == null || image.equals(c.getImage())) continue;
          // Each replace is guarded by a test of the container's name: a concurrent edit that
          // reorders the containers fails the patch instead of changing the wrong one.
          ops.add(
              "{\"op\":\"test\",\"path\":\"/spec/template/spec/containers/"
                  + i
                  + "/name\",\"value\":"
                  + json(c.getName())
                  + "}");
          ops.add(
              "{\"op\":\"replace\",\"path\":\"/spec/template/spec/containers/"
                  + i
                  + "/image\",\"value\":"
                  + json(image)
                  + "}");
          changed.add(c.getName() + "=" + image);
        }
        var out = spec.commandLine().getOut();
        if (ops.isEmpty()) {
          out.println(
              "rollout.slipway.dev/" + name + " unchanged: the images are already " + wanted);
        } else {
          client
              .resources(Rollout.class)
              .inNamespace(ns)
              .withName(name)
              .patch(
                  new PatchContext.Builder()
                      .withPatchType(PatchType.JSON)
                      .withFieldManager("kubectl-slipway")
                      .build(),
                  "[" + String.join(",", ops) + "]");
          out.println(
              "rollout.slipway.dev/" + name + " image updated: " + String.join(", ", changed));
          spec.commandLine()
              .getErr()
              .println(
                  "note: this changed spec.template; if Argo CD manages this Rollout, commit the same change to Git or the next sync reverts it");
        }
        out.flush();
        return 0;
      }
    }

    private static String json(String s) {
      return Serialization.asJson(s);
    }
  }
}
