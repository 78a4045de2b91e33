package dev.slipway.e2e.cluster;

import dev.slipway.e2e.tools.Sh;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A cluster CA and the API server's serving certificate, made with openssl. Pods on a real node
 * verify the API server the way they do anywhere: against ca.crt in their ServiceAccount volume,
 * which the controller-manager publishes from this CA (kube-root-ca.crt).
 */
public record ClusterCerts(Path caCert, Path serverCert, Path serverKey) {

  static ClusterCerts create(Path dir, List<String> ipSans) {
    try {
      Path d = Files.createDirectories(dir.resolve("pki"));
      Path caKey = d.resolve("ca.key");
      Path ca = d.resolve("ca.crt");
      Path key = d.resolve("apiserver.key");
      Path csr = d.resolve("apiserver.csr");
      Path crt = d.resolve("apiserver.crt");
      Path ext = d.resolve("apiserver.ext");
      Sh.ok(
          "openssl",
          "req",
          "-x509",
          "-newkey",
          "rsa:2048",
          "-nodes",
          "-keyout",
          caKey.toString(),
          "-out",
          ca.toString(),
          "-days",
          "2",
          "-subj",
          "/CN=slipway-e2e-ca");
      Sh.ok(
          "openssl",
          "req",
          "-newkey",
          "rsa:2048",
          "-nodes",
          "-keyout",
          key.toString(),
          "-out",
          csr.toString(),
          "-subj",
          "/CN=kube-apiserver");
      StringBuilder sans =
          new StringBuilder(
              "DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,"
                  + "DNS:kubernetes.default.svc.cluster.local");
      for (String ip : ipSans) {
        sans.append(",IP:").append(ip);
      }
      Files.writeString(
          ext,
          "subjectAltName="
              + sans
              + "\nextendedKeyUsage=serverAuth\nkeyUsage=digitalSignature,keyEncipherment\n");
      Sh.ok(
          "openssl",
          "x509",
          "-req",
          "-in",
          csr.toString(),
          "-CA",
          ca.toString(),
          "-CAkey",
          caKey.toString(),
          "-CAcreateserial",
          "-out",
          crt.toString(),
          "-days",
          "2",
          "-extfile",
          ext.toString());
      return new ClusterCerts(ca, crt, key);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
