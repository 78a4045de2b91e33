package dev.slipway.controller.cli;

import dev.slipway.api.v1alpha1.Rollout;
import dev.slipway.api.v1alpha1.RolloutStatus;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/**
 * The launcher's training run for the class-data archive (or JDK 25's AOT cache): loads what the
 * everyday commands load (the whole command tree, kubeconfig parsing, the client and its HTTP
 * stack, a Rollout's JSON and YAML, the tables) without a cluster. Its only connection attempt goes
 * to 127.0.0.1:1, which refuses it.
 */
@Command(name = "__train", hidden = true)
public final class TrainCommand implements Callable<Integer> {
  static final String ROLLOUT =
      """
      {"apiVersion":"slipway.dev/v1alpha1","kind":"Rollout","metadata":{"name":"demo","namespace":"default","uid":"u","resourceVersion":"1",
       "generation":2,"creationTimestamp":"2026-01-01T00:00:00Z","annotations":{"slipway.dev/author":"a"}},
       "spec":{"replicas":2,"selector":{"matchLabels":{"app":"demo"}},"template":{"metadata":{"labels":{"app":"demo"}},
        "spec":{"containers":[{"name":"app","image":"demo:2","ports":[{"containerPort":8080}]}]}},
        "strategy":{"canary":{"stableService":"s","canaryService":"c","steps":[{"setWeight":20},{"pause":{}},{"setWeight":50}]}}},
       "status":{"observedGeneration":2,"phase":"Paused","state":"Paused","message":"step 2/3: paused","currentStepIndex":1,"step":"2/3",
        "stableRevision":"aaaa","canaryRevision":"bbbb","desiredWeight":20,"verifiedWeight":20,
        "conditions":[{"type":"Progressing","status":"True","reason":"Paused","message":"m","lastTransitionTime":"2026-01-01T00:00:00Z"}]}}""";

  @Override
  public Integer call() throws Exception {
    SlipwayCli.commandLine();
    Rollout r = Serialization.unmarshal(ROLLOUT, Rollout.class);
    var generic = Serialization.unmarshal(ROLLOUT, GenericKubernetesResource.class);
    Serialization.jsonMapper()
        .convertValue(generic.getAdditionalProperties().get("status"), RolloutStatus.class);
    Output.format(generic, "name");
    Output.format(r, "json");
    Output.format(r, "yaml");
    Output.format(r, "name");
    Output.format(r, "jsonpath={.status.phase}");
    RolloutView.render(r, Map.of(), 100);
    Path kubeconfig = Files.createTempFile("slipway-train", ".kubeconfig");
    try {
      Files.writeString(
          kubeconfig,
          """
          apiVersion: v1
          kind: Config
          clusters: [{name: c, cluster: {server: "https://127.0.0.1:1"}}]
          users: [{name: u, user: {token: t}}]
          contexts: [{name: x, context: {cluster: c, user: u, namespace: default}}]
          current-context: x
          """);
      KubeOptions kube = new KubeOptions();
      kube.kubeconfig = kubeconfig.toString();
      try (KubernetesClient client = kube.client()) {
        client.resources(Rollout.class).inNamespace("default").list();
      } catch (RuntimeException refused) {
        Errors.plain(
            refused instanceof KubernetesClientException k
                ? k
                : new KubernetesClientException(refused.getMessage()));
      }
    } finally {
      Files.deleteIfExists(kubeconfig);
    }
    return 0;
  }
}
