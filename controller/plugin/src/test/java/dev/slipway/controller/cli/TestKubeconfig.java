package dev.slipway.controller.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A kubeconfig for the plugin's tests: one server, a token, namespace shop. */
final class TestKubeconfig {
  private TestKubeconfig() {}

  static Path pointingAt(String server) throws IOException {
    Path p = Files.createTempFile("cli", ".kubeconfig");
    Files.writeString(
        p,
        """
        apiVersion: v1
        kind: Config
        clusters: [{name: c, cluster: {server: "%s"}}]
        users: [{name: u, user: {token: t}}]
        contexts: [{name: c, context: {cluster: c, user: u, namespace: shop}}]
        current-context: c
        """
            .formatted(server.replaceAll("/$", "")));
    return p;
  }
}
