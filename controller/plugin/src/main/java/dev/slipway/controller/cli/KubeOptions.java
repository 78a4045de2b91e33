package dev.slipway.controller.cli;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/** The connection flags kubectl users expect, meaning what they mean to kubectl. */
public final class KubeOptions {
  static final int CONNECT_TIMEOUT_MS = 2_000;

  @Option(
      names = "--kubeconfig",
      description = "Path to the kubeconfig file (default: $KUBECONFIG or ~/.kube/config).")
  String kubeconfig;

  @Option(names = "--context", description = "The kubeconfig context to use.")
  String context;

  @Option(
      names = {"-n", "--namespace"},
      description = "The namespace (default: the context's).")
  String namespace;

  @Option(
      names = "--as",
      description = "Username to impersonate for the operation (kubectl's --as).")
  String as;

  @Option(
      names = "--as-group",
      description =
          "Group to impersonate for the operation; repeat for several (kubectl's --as-group).")
  List<String> asGroups;

  public KubernetesClient client() {
    try {
      Config config;
      if (kubeconfig != null) {
        Path file = Path.of(kubeconfig);
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
          throw new IOException("no readable file there");
        }
        // The file, not its text: paths inside it (certificates, keys) are relative to it.
        config = Config.fromKubeconfig(context, file.toFile());
      } else {
        config = Config.autoConfigure(context);
      }
      if (namespace != null) {
        config.setNamespace(namespace);
      }
      if (as != null) {
        config.setImpersonateUsername(as);
      }
      if (asGroups != null && !asGroups.isEmpty()) {
        if (as == null) throw new IllegalArgumentException("--as-group needs --as, as in kubectl");
        config.setImpersonateGroups(asGroups.toArray(String[]::new));
      }
      // A person is waiting: an unreachable cluster is reported within seconds, with its cause,
      // instead of after the client's retries with backoff (tens of seconds).
      config.setConnectionTimeout(CONNECT_TIMEOUT_MS);
      config.setRequestRetryBackoffLimit(0);
      config.setRequestTimeout(15_000);
      return new KubernetesClientBuilder().withConfig(config).build();
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot read kubeconfig " + kubeconfig + ": " + e.getMessage());
    }
  }

  public String namespace(KubernetesClient client) {
    String ns = namespace != null ? namespace : client.getNamespace();
    return ns == null ? "default" : ns;
  }
}
