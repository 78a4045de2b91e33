package dev.slipway.e2e.cluster;

import io.fabric8.kubernetes.client.Config;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

/** The harness's one kubeconfig writer: a token user on one cluster, in namespace default. */
public final class Kubeconfigs {
  private Kubeconfigs() {}

  /**
   * Writes {@code dir/USER.kubeconfig}.
   *
   * @param caData the API server's CA, base64 PEM; null trusts any certificate (a loopback server
   *     of our own)
   */
  public static Path write(Path dir, String server, String caData, String user, String token) {
    String tls =
        caData == null
            ? "insecure-skip-tls-verify: true"
            : "certificate-authority-data: \"" + caData + "\"";
    Path p = dir.resolve(user + ".kubeconfig");
    try {
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
              .formatted(server.replaceAll("/$", ""), tls, user, token, user));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return p;
  }

  /** Another identity on a cluster we only know from an admin kubeconfig: same server, same CA. */
  static Path forToken(Path adminKubeconfig, Path dir, String user, String token) {
    try {
      Config admin = Config.fromKubeconfig(Files.readString(adminKubeconfig));
      String ca = admin.getCaCertData();
      if (ca == null && admin.getCaCertFile() != null) {
        ca = Base64.getEncoder().encodeToString(Files.readAllBytes(Path.of(admin.getCaCertFile())));
      }
      return write(dir, admin.getMasterUrl(), ca, user, token);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
