package dev.slipway.e2e.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.k3s.K3sContainer;
import org.testcontainers.utility.DockerImageName;

/** k3s in a container (Testcontainers), where a Docker engine exists. Pods are real containers. */
public final class K3sCluster extends KubeconfigCluster {
  public static final String IMAGE = "rancher/k3s:v1.32.4-k3s1";
  private final K3sContainer k3s;

  private K3sCluster(K3sContainer k3s, Path kubeconfig) {
    super(kubeconfig, kubeconfig.getParent());
    this.k3s = k3s;
  }

  public static K3sCluster start() {
    K3sContainer k3s = new K3sContainer(DockerImageName.parse(IMAGE));
    k3s.start();
    try {
      Path kubeconfig = Files.createTempDirectory("slipway-k3s").resolve("admin.kubeconfig");
      Files.writeString(kubeconfig, k3s.getKubeConfigYaml());
      return new K3sCluster(k3s, kubeconfig);
    } catch (IOException e) {
      k3s.stop();
      throw new UncheckedIOException(e);
    }
  }

  /** Whether Testcontainers can reach a Docker engine here. */
  public static boolean dockerAvailable() {
    // Ask Testcontainers only when an engine could be there; otherwise it logs a page of errors.
    boolean hint =
        System.getenv("DOCKER_HOST") != null
            || Files.exists(Path.of("/var/run/docker.sock"))
            || Files.exists(Path.of(System.getProperty("user.home"), ".docker/run/docker.sock"));
    if (!hint) {
      return false;
    }
    try {
      return DockerClientFactory.instance().isDockerAvailable();
    } catch (Throwable t) {
      return false;
    }
  }

  @Override
  public String describe() {
    return "k3s " + IMAGE + " (Testcontainers) at " + admin.getMasterUrl();
  }

  @Override
  public void close() {
    super.close();
    k3s.stop();
  }
}
