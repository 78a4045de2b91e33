package dev.slipway.e2e.cluster;

import io.fabric8.kubernetes.client.Config;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

/** Kubeconfigs for another identity on a cluster we only know from an admin kubeconfig. */
final class KubeconfigFiles {
  private KubeconfigFiles() {}

  static Path forToken(Path adminKubeconfig, Path dir, String user, String token) {
    try {
      Config admin = Config.fromKubeconfig(Files.readString(adminKubeconfig));
      String ca = admin.getCaCertData();
      if (ca == null && admin.getCaCertFile() != null) {
        ca = Base64.getEncoder().encodeToString(Files.readAllBytes(Path.of(admin.getCaCertFile())));
      }
      String tls =
          ca == null
              ? "insecure-skip-tls-verify: true"
              : "certificate-authority-data: \"" + ca + "\"";
      Path p = dir.resolve(user + ".kubeconfig");
      Files.writeString(
          p,
          """
          apiVersion: v1
          kind: Config
          clusters:
          - name: c
            cluster: {server: "%s", %s}
          users:
          - name: %s
            user: {token: "%s"}
          contexts:
          - name: c
            context: {cluster: c, user: %s, namespace: default}
          current-context: c
          """
              .formatted(admin.getMasterUrl().replaceAll("/$", ""), tls, user, token, user));
      return p;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
