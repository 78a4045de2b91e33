package dev.slipway.samples.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The sample's smoke test, for a Job check: {@code smoke SERVICE PORT PATH REQUESTS} sends that
 * many GETs to the ready endpoints of a Service of its own namespace and exits 0 only if every one
 * answered 2xx (1 otherwise, 3 when the Service has no ready endpoint, 2 on bad arguments). The
 * endpoints are read from the Service's EndpointSlices with the pod's own ServiceAccount token, as
 * a client-side load balancer does: the requests go pod to pod over the cluster network, with no
 * cluster DNS or kube-proxy needed.
 */
public final class SmokeTest {
  static final Path SA = Path.of("/var/run/secrets/kubernetes.io/serviceaccount");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<String, String> env;
  private final PrintStream out;

  SmokeTest(Map<String, String> env, PrintStream out) {
    this.env = env;
    this.out = out;
  }

  public static void main(String[] args) {
    System.exit(new SmokeTest(System.getenv(), System.out).run(args));
  }

  int run(String[] args) {
    if (args.length != 4) {
      out.println("usage: smoke SERVICE PORT PATH REQUESTS");
      return 2;
    }
    String service = args[0];
    int port;
    int requests;
    try {
      port = Integer.parseInt(args[1]);
      requests = Integer.parseInt(args[3]);
    } catch (NumberFormatException e) {
      out.println("smoke: PORT and REQUESTS are numbers: " + e.getMessage());
      return 2;
    }
    String path = args[2].startsWith("/") ? args[2] : "/" + args[2];
    List<String> endpoints;
    try {
      endpoints = endpoints(service);
    } catch (IOException | InterruptedException | RuntimeException e) {
      out.println("smoke: the endpoints of Service " + service + " could not be read: " + e);
      return 3;
    }
    if (endpoints.isEmpty()) {
      out.println("smoke: Service " + service + " has no ready endpoint");
      return 3;
    }
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    Map<String, Integer> outcomes = new TreeMap<>();
    int bad = 0;
    for (int i = 0; i < requests; i++) {
      String target = "http://" + endpoints.get(i % endpoints.size()) + ":" + port + path;
      String outcome;
      try {
        HttpResponse<Void> r =
            http.send(
                HttpRequest.newBuilder(URI.create(target)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.discarding());
        outcome = Integer.toString(r.statusCode());
        if (r.statusCode() / 100 != 2) {
          bad++;
          out.println("smoke: GET " + target + " -> " + r.statusCode());
        }
      } catch (HttpTimeoutException e) {
        outcome = "timeout";
        bad++;
        out.println("smoke: GET " + target + " timed out");
      } catch (IOException e) {
        outcome = "error";
        bad++;
        out.println("smoke: GET " + target + " failed: " + e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return 1;
      }
      outcomes.merge(outcome, 1, Integer::sum);
    }
    out.println(
        "smoke: "
            + requests
            + " requests to Service "
            + service
            + " ("
            + endpoints.size()
            + " ready endpoint(s)): "
            + outcomes
            + (bad == 0 ? ", all 2xx" : ", " + bad + " not 2xx"));
    return bad == 0 ? 0 : 1;
  }

  /** The Service's ready endpoint addresses, from its EndpointSlices. */
  List<String> endpoints(String service) throws IOException, InterruptedException {
    String namespace =
        env.containsKey("SMOKE_NAMESPACE")
            ? env.get("SMOKE_NAMESPACE")
            : Files.readString(SA.resolve("namespace")).strip();
    String api = env.get("SMOKE_API");
    HttpClient client;
    String token = null;
    if (api == null) {
      api =
          "https://"
              + env.get("KUBERNETES_SERVICE_HOST")
              + ":"
              + env.get("KUBERNETES_SERVICE_PORT");
      client = HttpClient.newBuilder().sslContext(trusting(SA.resolve("ca.crt"))).build();
      token = Files.readString(SA.resolve("token")).strip();
    } else {
      // A test's API stand-in on loopback.
      client = HttpClient.newHttpClient();
    }
    HttpRequest.Builder req =
        HttpRequest.newBuilder(
                URI.create(
                    api
                        + "/apis/discovery.k8s.io/v1/namespaces/"
                        + namespace
                        + "/endpointslices?labelSelector=kubernetes.io%2Fservice-name%3D"
                        + service))
            .timeout(Duration.ofSeconds(10));
    if (token != null) req.header("Authorization", "Bearer " + token);
    HttpResponse<String> r =
        client.send(req.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    if (r.statusCode() != 200) {
      throw new IOException("the API server answered " + r.statusCode());
    }
    List<String> ready = new ArrayList<>();
    for (JsonNode slice : JSON.readTree(r.body()).path("items")) {
      for (JsonNode e : slice.path("endpoints")) {
        if (e.path("conditions").path("ready").asBoolean(true)) {
          e.path("addresses").forEach(a -> ready.add(a.asText()));
        }
      }
    }
    return ready;
  }

  private static SSLContext trusting(Path ca) throws IOException {
    try (InputStream in = Files.newInputStream(ca)) {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      int i = 0;
      for (var c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        store.setCertificateEntry("ca" + i++, (X509Certificate) c);
      }
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(store);
      SSLContext ssl = SSLContext.getInstance("TLS");
      ssl.init(null, tmf.getTrustManagers(), null);
      return ssl;
    } catch (java.security.GeneralSecurityException e) {
      throw new IOException("the cluster's CA could not be read: " + e.getMessage(), e);
    }
  }
}
