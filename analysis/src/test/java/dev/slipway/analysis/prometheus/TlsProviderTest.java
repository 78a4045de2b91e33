package dev.slipway.analysis.prometheus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.slipway.analysis.provider.QueryOutcome;
import dev.slipway.analysis.provider.Resilience;
import dev.slipway.analysis.run.ProviderClients;
import dev.slipway.analysis.spec.PrometheusTarget;
import dev.slipway.testing.Proc;
import dev.slipway.testing.TestTime;
import java.io.FileInputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An https "Prometheus" with a self-signed certificate: trusted through caPem, refused without it.
 */
class TlsProviderTest {
  static final String OK =
      "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{},\"value\":[1,\"0.5\"]}]}}";
  static HttpsServer server;
  static String caPem;
  static ProviderClients providers;

  @BeforeAll
  static void start() throws Exception {
    Path dir = Files.createTempDirectory("slipway-tls");
    Path ks = dir.resolve("server.p12");
    String keytool = System.getProperty("java.home") + "/bin/keytool";
    run(
        keytool,
        "-genkeypair",
        "-alias",
        "prom",
        "-keyalg",
        "EC",
        "-groupname",
        "secp256r1",
        "-dname",
        "CN=127.0.0.1",
        "-ext",
        "SAN=ip:127.0.0.1",
        "-validity",
        "2",
        "-storetype",
        "PKCS12",
        "-keystore",
        ks.toString(),
        "-storepass",
        "changeit");
    caPem =
        run(
            keytool,
            "-exportcert",
            "-rfc",
            "-alias",
            "prom",
            "-keystore",
            ks.toString(),
            "-storepass",
            "changeit");
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (FileInputStream in = new FileInputStream(ks.toFile())) {
      store.load(in, "changeit".toCharArray());
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(store, "changeit".toCharArray());
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(kmf.getKeyManagers(), null, null);
    server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(ssl));
    server.createContext(
        "/",
        ex -> {
          byte[] b = OK.getBytes(StandardCharsets.UTF_8);
          ex.sendResponseHeaders(200, b.length);
          ex.getResponseBody().write(b);
          ex.close();
        });
    server.start();
    providers =
        new ProviderClients(
            new Resilience(
                new Resilience.Settings(1, Duration.ofMillis(50), 10, Duration.ofSeconds(30))));
  }

  @AfterAll
  static void stop() {
    if (providers != null) providers.close();
    if (server != null) server.stop(0);
  }

  static String run(String... cmd) throws Exception {
    return Proc.of(cmd).timeout(TestTime.of(Duration.ofSeconds(60))).run().orThrow().out();
  }

  static PrometheusTarget target() {
    return PrometheusTarget.at("https://127.0.0.1:" + server.getAddress().getPort())
        .withTimeout(Duration.ofSeconds(5));
  }

  @Test
  void untrustedCertificateIsAnErrorNotAValue() {
    QueryOutcome o = providers.forTarget(target()).instant("up", Instant.now());
    assertTrue(o instanceof QueryOutcome.Failure, o.toString());
  }

  @Test
  void caBundleFromTheSecretIsTrusted() {
    QueryOutcome o =
        providers.forTarget(target().withTls(false, caPem)).instant("up", Instant.now());
    assertEquals(new QueryOutcome.Value(0.5), o);
    assertTrue(
        !target().withTls(false, caPem).toString().contains("BEGIN CERTIFICATE"),
        "the bundle is not printed");
  }

  @Test
  void insecureSkipVerifyAlsoConnects() {
    assertEquals(
        new QueryOutcome.Value(0.5),
        providers.forTarget(target().withTls(true, null)).instant("up", Instant.now()));
  }

  @Test
  void theCaIsNotSharedWithOtherTargets() {
    List<QueryOutcome> both =
        List.of(
            providers.forTarget(target().withTls(false, caPem)).instant("up", Instant.now()),
            providers.forTarget(target()).instant("up", Instant.now()));
    assertTrue(
        both.get(0) instanceof QueryOutcome.Value && both.get(1) instanceof QueryOutcome.Failure,
        both.toString());
  }
}
