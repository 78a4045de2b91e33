package dev.slipway.e2e.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A cluster someone already runs, named by SLIPWAY_E2E_KUBECONFIG. We never tear it down. */
public final class ExistingCluster extends KubeconfigCluster {

  public ExistingCluster(Path kubeconfig) {
    super(kubeconfig, tempDir());
  }

  private static Path tempDir() {
    try {
      return Files.createTempDirectory("slipway-existing");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public String describe() {
    return "existing cluster from " + kubeconfig + " (" + admin.getMasterUrl() + ")";
  }

  /**
   * SLIPWAY_E2E_FAKE_PODS=true says the cluster's nodes are KWOK's (as on another local control
   * plane).
   */
  @Override
  public boolean fakePods() {
    return Boolean.parseBoolean(System.getenv("SLIPWAY_E2E_FAKE_PODS"));
  }
}
