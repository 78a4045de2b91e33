package dev.slipway.e2e.cluster;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A cluster someone already runs, named by SLIPWAY_E2E_KUBECONFIG. We never tear it down. */
public final class ExistingCluster implements Cluster {
  private final Path kubeconfig;
  private final KubernetesClient admin;
  private final Path dir;

  public ExistingCluster(Path kubeconfig) {
    this.kubeconfig = kubeconfig;
    try {
      this.admin = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(Files.readString(kubeconfig))).build();
      this.dir = Files.createTempDirectory("slipway-existing");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public String describe() {
    return "existing cluster from " + kubeconfig + " (" + admin.getMasterUrl() + ")";
  }

  @Override
  public KubernetesClient admin() {
    return admin;
  }

  @Override
  public Path adminKubeconfig() {
    return kubeconfig;
  }

  @Override
  public boolean runsPods() {
    return true;
  }

  /** SLIPWAY_E2E_FAKE_PODS=true says the cluster's nodes are KWOK's (as on another local control plane). */
  @Override
  public boolean fakePods() {
    return Boolean.parseBoolean(System.getenv("SLIPWAY_E2E_FAKE_PODS"));
  }

  @Override
  public Path kubeconfigFor(String user, String token) {
    return KubeconfigFiles.forToken(kubeconfig, dir, user, token);
  }

  @Override
  public Path dir() {
    return dir;
  }

  @Override
  public void close() {
    admin.close();
  }
}
