package dev.slipway.e2e.cluster;

import dev.slipway.testing.TestTime;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Installs Slipway's CRD and the standard Gateway API CRDs, and waits until they are served. */
public final class Crds {
  private Crds() {}

  /** The repository root, found from the working directory of any module. */
  public static Path repoRoot() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.exists(p.resolve("crds/rollouts.slipway.dev.yaml"))) {
      p = p.getParent();
    }
    if (p == null) {
      throw new IllegalStateException("run from inside the Slipway repository");
    }
    return p;
  }

  public static void installSlipway(KubernetesClient client) {
    install(client, repoRoot().resolve("crds/rollouts.slipway.dev.yaml"));
    install(client, repoRoot().resolve("crds/analysistemplates.slipway.dev.yaml"));
    install(client, repoRoot().resolve("crds/rolloutrecords.slipway.dev.yaml"));
    install(client, repoRoot().resolve("crds/releases.slipway.dev.yaml"));
  }

  public static void installGatewayApi(KubernetesClient client) {
    Path dir = LocalControlPlane.binDir().resolve("gateway-api");
    for (String f :
        List.of(
            "gateway.networking.k8s.io_gatewayclasses.yaml",
            "gateway.networking.k8s.io_gateways.yaml",
            "gateway.networking.k8s.io_httproutes.yaml",
            "gateway.networking.k8s.io_grpcroutes.yaml",
            "gateway.networking.k8s.io_referencegrants.yaml")) {
      install(client, dir.resolve(f));
    }
  }

  private static void install(KubernetesClient client, Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      for (HasMetadata o : client.load(in).items()) {
        CustomResourceDefinition crd = (CustomResourceDefinition) o;
        client.apiextensions().v1().customResourceDefinitions().resource(crd).serverSideApply();
        client
            .apiextensions()
            .v1()
            .customResourceDefinitions()
            .withName(crd.getMetadata().getName())
            .waitUntilCondition(
                c ->
                    c != null
                        && c.getStatus() != null
                        && c.getStatus().getConditions() != null
                        && c.getStatus().getConditions().stream()
                            .anyMatch(
                                x ->
                                    "Established".equals(x.getType())
                                        && "True".equals(x.getStatus())),
                TestTime.seconds(60),
                TimeUnit.SECONDS);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
