package dev.slipway.e2e.cluster;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.testcontainers.k3s.K3sContainer;
import org.testcontainers.utility.DockerImageName;

/** k3s in a container (Testcontainers), where a Docker engine exists. Pods are real containers. */
public final class K3sCluster implements Cluster {
  public static final String IMAGE = "rancher/k3s:v1.32.4-k3s1";
  private final K3sContainer k3s;
  private final KubernetesClient admin;
  private final Path dir;
  private final Path kubeconfig;

  public K3sCluster() {
    k3s = new K3sContainer(DockerImageName.parse(IMAGE));
    k3s.start();
    try {
      dir = Files.createTempDirectory("slipway-k3s");
      kubeconfig = dir.resolve("admin.kubeconfig");
      Files.writeString(kubeconfig, k3s.getKubeConfigYaml());
      admin = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(k3s.getKubeConfigYaml())).build();
    } catch (IOException e) {
      k3s.stop();
      throw new UncheckedIOException(e);
    }
  }

  /** Whether Testcontainers can reach a Docker engine here. */
  public static boolean dockerAvailable() {
    // Ask Testcontainers only when an engine could be there; otherwise it logs a page of errors.
    boolean hint = System.getenv("DOCKER_HOST") != null || Files.exists(Path.of("/var/run/docker.sock"))
        || Files.exists(Path.of(System.getProperty("user.home"), ".docker/run/docker.sock"));
    if (!hint) {
      return false;
    }
    try {
      return org.testcontainers.DockerClientFactory.instance().isDockerAvailable();
    } catch (Throwable t) {
      return false;
    }
  }

  @Override
  public String describe() {
    return "k3s " + IMAGE + " (Testcontainers) at " + admin.getMasterUrl();
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
    return KubeconfigFiles.forToken(kubeconfig, dir, user, token);
  }

  @Override
  public Path dir() {
    return dir;
  }

  @Override
  public void close() {
    admin.close();
    k3s.stop();
  }
}
