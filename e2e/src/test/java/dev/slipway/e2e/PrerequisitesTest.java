package dev.slipway.e2e;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.e2e.cluster.ExistingCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.TestAbortedException;

/**
 * The rule every e2e class's set-up goes through: a missing part skips outside CI, and fails in CI,
 * named either way.
 */
@Order(9)
class PrerequisitesTest {
  @Test
  void aMissingPartFailsInCiAndSkipsElsewhereNamingIt() {
    String missing = Prerequisites.executable("Debian's chromium", "/nonexistent/chromium");
    IllegalStateException ci =
        assertThrows(IllegalStateException.class, () -> Prerequisites.need(missing, true));
    assertTrue(
        ci.getMessage()
            .equals(
                "SLIPWAY_E2E_REQUIRE_NODE=true, but no Debian's chromium at /nonexistent/chromium (bash e2e/setup.sh "
                    + "installs it)"),
        ci.getMessage());
    TestAbortedException local =
        assertThrows(TestAbortedException.class, () -> Prerequisites.need(missing, false));
    assertTrue(local.getMessage().contains("no Debian's chromium"), local.getMessage());
    assertDoesNotThrow(() -> Prerequisites.need(null, true));
  }

  /**
   * KWOK removed: a cluster whose pods are not KWOK's (here one named by a kubeconfig, as
   * SLIPWAY_E2E_KUBECONFIG or a Docker engine would pick) fails every KWOK class in CI, naming it.
   * Nothing connects: the address is never dialled.
   */
  @Test
  void aClusterWithoutKwokPodsFailsTheKwokClassesInCi(@TempDir Path dir) throws Exception {
    Path kubeconfig = dir.resolve("kubeconfig");
    Files.writeString(
        kubeconfig,
        """
        apiVersion: v1
        kind: Config
        clusters: [{name: c, cluster: {server: "https://127.0.0.1:1"}}]
        users: [{name: u, user: {token: t}}]
        contexts: [{name: x, context: {cluster: c, user: u}}]
        current-context: x
        """);
    try (var cluster = new ExistingCluster(kubeconfig)) {
      IllegalStateException ci =
          assertThrows(
              IllegalStateException.class,
              () ->
                  Prerequisites.kwokPods(
                      cluster, "its Rollouts use made-up images that only KWOK pods run", true));
      assertTrue(
          ci.getMessage()
              .startsWith(
                  "SLIPWAY_E2E_REQUIRE_NODE=true, but this scenario needs KWOK pods (its Rollouts use made-up "
                      + "images that only KWOK pods run), and the cluster is existing cluster from "
                      + kubeconfig),
          ci.getMessage());
      assertThrows(
          TestAbortedException.class,
          () -> Prerequisites.kwokPods(cluster, "made-up images", false));
    }
  }
}
