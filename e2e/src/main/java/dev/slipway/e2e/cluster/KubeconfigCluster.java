package dev.slipway.e2e.cluster;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A cluster known only through an admin kubeconfig, with real (container) pods. */
abstract class KubeconfigCluster implements Cluster {
  protected final Path kubeconfig;
  protected final KubernetesClient admin;
  protected final Path dir;

  protected KubeconfigCluster(Path kubeconfig, Path dir) {
    this.kubeconfig = kubeconfig;
    this.dir = dir;
    try {
      this.admin =
          new KubernetesClientBuilder()
              .withConfig(Config.fromKubeconfig(Files.readString(kubeconfig)))
              .build();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
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

  @Override
  public boolean fakePods() {
    return false;
  }

  @Override
  public Path kubeconfigFor(String user, String token) {
    return Kubeconfigs.forToken(kubeconfig, dir, user, token);
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
