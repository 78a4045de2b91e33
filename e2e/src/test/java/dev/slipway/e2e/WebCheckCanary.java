package dev.slipway.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.slipway.api.v1alpha1.AnalysisStep;
import dev.slipway.api.v1alpha1.CanaryStep;
import dev.slipway.api.v1alpha1.MetricDef;
import dev.slipway.api.v1alpha1.RecordEntry;
import dev.slipway.api.v1alpha1.RevisionState;
import dev.slipway.api.v1alpha1.RolloutStatus;
import dev.slipway.api.v1alpha1.ThresholdSpec;
import dev.slipway.api.v1alpha1.WebMetric;
import dev.slipway.controller.reconcile.ClusterFixture;
import dev.slipway.e2e.cluster.Cluster;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Issue 30's web checks through whole canaries, by the controller under the shipped RBAC: a smoke
 * verdict served on 127.0.0.1 (the controller runs on the host) passes the first canary, which is
 * promoted, and fails the second, which is rolled back; the request carried the canary's revision
 * (its {{args.canaryHash}}), and the failed measurement is in the evidence, which verifies. Run by
 * ControllerE2ETest.
 */
final class WebCheckCanary {
  private final Cluster cp;
  private final ClusterFixture f;

  WebCheckCanary(Cluster cp, ClusterFixture f) {
    this.cp = cp;
    this.f = f;
  }

  void run() throws Exception {
    AtomicReference<String> verdict = new AtomicReference<>("{\"passRate\": 1.0}");
    List<String> asked = new CopyOnWriteArrayList<>();
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/verdict",
        x -> {
          asked.add(String.valueOf(x.getRequestURI().getQuery()));
          byte[] b = verdict.get().getBytes(StandardCharsets.UTF_8);
          x.getResponseHeaders().add("Content-Type", "application/json");
          x.sendResponseHeaders(200, b.length);
          try (OutputStream out = x.getResponseBody()) {
            out.write(b);
          }
        });
    server.start();
    try {
      String url =
          "http://127.0.0.1:"
              + server.getAddress().getPort()
              + "/verdict?revision={{args.canaryHash}}";
      MetricDef smoke =
          new MetricDef(
              "smoke",
              null,
              null,
              null,
              null,
              null,
              new ThresholdSpec(0.99, null),
              null,
              "1s",
              2,
              null,
              null,
              null,
              null,
              null,
              null,
              new WebMetric(url, null, null, null, "$.passRate", "5s"));
      f.client
          .resource(
              f.rollout(
                  "demo:1",
                  CanaryStep.weight(50),
                  CanaryStep.analysis(new AnalysisStep(null, List.of(smoke), null, null))))
          .create();
      List<String> trace = new ArrayList<>();
      RolloutStatus s = await(st -> st.state() == RevisionState.Stable, trace);
      String v1 = s.stableRevision();

      f.newImage("demo:2");
      s = await(st -> st.state() == RevisionState.Stable && !v1.equals(st.stableRevision()), trace);
      String v2 = s.stableRevision();
      assertTrue(asked.contains("revision=" + v2), "the canary's revision was asked: " + asked);
      System.out.println("web check: " + v2 + " promoted; asked " + asked);

      verdict.set("{\"passRate\": 0.5}");
      f.newImage("demo:3");
      s =
          await(
              st ->
                  st.state() == RevisionState.RolledBack
                      && st.message() != null
                      && st.message().startsWith("rolled back"),
              trace);
      String v3 = s.canaryRevision();
      assertTrue(s.message().contains("smoke"), s.message());
      List<RecordEntry> entries = EvidenceChecks.exportAndVerify(cp, f.ns, "demo", v3);
      List<String> measured =
          entries.stream()
              .filter(e -> e.kind().equals("Measurement"))
              .map(e -> e.data().get("query") + " = " + e.data().get("value"))
              .toList();
      assertTrue(!measured.isEmpty(), entries.toString());
      assertEquals(
          "GET http://127.0.0.1:" + server.getAddress().getPort() + "/verdict $.passRate = 0.5",
          measured.get(measured.size() - 1),
          measured.toString());
      System.out.println(
          "web check: " + v3 + " rolled back: " + s.message() + "; evidence " + measured);
    } finally {
      server.stop(0);
    }
  }

  private RolloutStatus await(
      java.util.function.Predicate<RolloutStatus> done, List<String> trace) {
    return RolloutAwait.status(f, done, Duration.ofSeconds(120), trace);
  }
}
