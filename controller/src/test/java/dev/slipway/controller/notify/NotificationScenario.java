package dev.slipway.controller.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.slipway.api.v1alpha1.CanaryStep;
import dev.slipway.api.v1alpha1.RecordEntry;
import dev.slipway.api.v1alpha1.RevisionState;
import dev.slipway.api.v1alpha1.Rollout;
import dev.slipway.api.v1alpha1.RolloutStatus;
import dev.slipway.controller.evidence.RecordStore;
import dev.slipway.controller.reconcile.ClusterFixture;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Notifications end to end against a loopback receiver: a canary opted into a CloudEvents sink and
 * a Slack sink (its webhook URL from a marked Secret) goes Stable, then to a pause, then is
 * aborted, while the receiver is down for its first requests. Every transition, verdict and manual
 * action arrives under its evidence hash as the event id, every delivery is in the record (with its
 * tries and first error), a sink the Rollout names but nobody configured is an Event, as is one the
 * operator limited to other namespaces (never sent to), and an unmarked Secret is never used.
 */
public final class NotificationScenario {
  static final String SYS = "slipway-system";
  static final ObjectMapper JSON = new ObjectMapper();
  final List<String[]> received = new CopyOnWriteArrayList<>();
  final AtomicInteger outage = new AtomicInteger();
  HttpServer receiver;

  private NotificationScenario() {}

  /** On any API server: fabric8's mock for speed, a real kube-apiserver for proof. */
  public static void everyEventArrivesAtLeastOnceAndEachDeliveryIsEvidence(ClusterFixture f)
      throws Exception {
    NotificationScenario s = new NotificationScenario();
    try {
      s.run(f);
    } finally {
      if (s.receiver != null) s.receiver.stop(0);
    }
  }

  private void run(ClusterFixture f) throws Exception {
    receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    receiver.createContext(
        "/",
        x -> {
          String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          int code = outage.getAndUpdate(n -> Math.max(0, n - 1)) > 0 ? 503 : 200;
          if (code == 200)
            received.add(
                new String[] {
                  x.getRequestURI().getPath(), body, x.getRequestHeaders().getFirst("Content-Type")
                });
          x.sendResponseHeaders(code, -1);
          x.close();
        });
    receiver.start();
    String base = "http://127.0.0.1:" + receiver.getAddress().getPort();
    var client = f.client;
    client
        .configMaps()
        .inNamespace(SYS)
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName(SinkConfig.CONFIG_MAP)
                .endMetadata()
                .addToData(
                    SinkConfig.KEY,
                    """
            - name: audit
              type: cloudevents
              url: %s/ce
            - name: team
              type: slack
              urlFrom: {secret: team-webhook, key: url}
              on: [transition, manual]
            - name: locked
              type: slack
              urlFrom: {secret: unmarked, key: url}
            - name: elsewhere
              type: cloudevents
              url: %s/elsewhere
              namespaces: [another-team]
            """
                        .formatted(base, base))
                .build())
        .create();
    client
        .secrets()
        .inNamespace(SYS)
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("team-webhook")
                .addToLabels(SinkConfig.SECRET_OPT_IN, "true")
                .endMetadata()
                .addToStringData("url", base + "/slack")
                .build())
        .create();
    client
        .secrets()
        .inNamespace(SYS)
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("unmarked")
                .endMetadata()
                .addToStringData("url", base + "/leak")
                .build())
        .create();

    Notifier notifier =
        new Notifier(
            client,
            SYS,
            f.clock,
            new WebhookTransport(),
            Duration.ofHours(1),
            Duration.ofMillis(50));
    f.notifyingThrough(notifier);
    f.createServicesAndRoute();
    Rollout r =
        f.rollout("demo:1", CanaryStep.weight(20), CanaryStep.pause(null), CanaryStep.weight(50));
    r.getMetadata()
        .setAnnotations(Map.of(SinkConfig.ANNOTATION, "audit,team,missing,locked,elsewhere"));
    client.resource(r).create();
    passUntil(f, s -> s.state() == RevisionState.Stable);

    outage.set(4);
    f.newImage("demo:2");
    passUntil(f, s -> s.state() == RevisionState.Paused);
    f.request("Abort");
    RolloutStatus s = passUntil(f, x -> x.state() == RevisionState.RolledBack);
    String revision = s.canaryRevision();

    // Deliveries run off the pass; each finished one is recorded by the Rollout's next pass.
    RecordStore store = RecordStore.reader(client);
    List<RecordEntry> entries = List.of();
    List<NotificationEvent> events = List.of();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      f.pass();
      entries = store.entries(f.ns, "demo", revision, 1);
      events = NotificationEvents.of(f.ns, "demo", revision, 1, entries);
      Set<String> done = NotificationEvents.delivered(entries);
      List<NotificationEvent> owed =
          events.stream()
              .filter(
                  e ->
                      !done.contains("audit|" + e.id())
                          || (!e.category().equals("verdict") && !done.contains("team|" + e.id())))
              .toList();
      if (owed.isEmpty()) break;
      Thread.sleep(100);
    }
    List<RecordEntry> deliveries =
        entries.stream().filter(e -> e.kind().startsWith("Notification")).toList();
    deliveries.forEach(d -> System.out.println("recorded " + d.kind() + " " + d.data()));
    assertTrue(events.size() >= 3, "transitions and the abort: " + events);
    Set<String> ids = events.stream().map(NotificationEvent::id).collect(Collectors.toSet());

    List<JsonNode> ces =
        received.stream().filter(x -> x[0].equals("/ce")).map(x -> read(x[1])).toList();
    Map<String, Long> perId =
        ces.stream()
            .collect(Collectors.groupingBy(n -> n.get("id").asText(), Collectors.counting()));
    System.out.printf(
        "CloudEvents received: %d for %d events (ids %s)%n", ces.size(), ids.size(), perId);
    assertTrue(
        perId.keySet().containsAll(ids),
        "every event of the canary's record arrived, under its evidence hash");
    for (JsonNode ce : ces) {
      assertEquals("1.0", ce.get("specversion").asText());
      assertEquals("/namespaces/" + f.ns + "/rollouts/demo", ce.get("source").asText());
    }
    assertTrue(
        received.stream()
            .filter(x -> x[0].equals("/ce"))
            .allMatch(x -> x[2].equals("application/cloudevents+json")));

    List<String> slack =
        received.stream()
            .filter(x -> x[0].equals("/slack"))
            .map(x -> read(x[1]).get("text").asText())
            .toList();
    slack.forEach(t -> System.out.println("slack: " + t));
    assertTrue(slack.stream().anyMatch(t -> t.contains("Abort by")), slack.toString());
    assertTrue(
        received.stream().noneMatch(x -> x[0].equals("/leak")), "an unmarked Secret is never used");
    assertTrue(
        received.stream().noneMatch(x -> x[0].equals("/elsewhere")),
        "a sink limited to other namespaces is never sent to");

    RecordEntry retried =
        deliveries.stream()
            .filter(
                e ->
                    e.kind().equals(NotificationEvents.DELIVERED)
                        && ((Number) e.data().get("tries")).intValue() > 1)
            .findFirst()
            .orElseThrow(() -> new AssertionError("no delivery retried: " + deliveries));
    assertEquals("HTTP 503", retried.data().get("firstError"));
    assertEquals(
        ids.size() * 2 - events.stream().filter(e -> e.category().equals("verdict")).count(),
        deliveries.stream().filter(e -> e.kind().equals(NotificationEvents.DELIVERED)).count(),
        "one recorded delivery per event and sink: " + deliveries);

    List<String> problems =
        client.v1().events().inNamespace(f.ns).list().getItems().stream()
            .filter(e -> "NotificationProblem".equals(e.getReason()))
            .map(e -> e.getMessage())
            .distinct()
            .toList();
    System.out.println("problems: " + problems);
    assertTrue(
        problems.stream().anyMatch(p -> p.contains("notification sink missing is not configured")),
        problems.toString());
    assertTrue(
        problems.stream()
            .anyMatch(
                p -> p.startsWith("notification sink elsewhere does not serve namespace " + f.ns)),
        problems.toString());
    assertTrue(
        problems.stream()
            .anyMatch(
                p ->
                    p.startsWith(
                        "notification sink locked: Secret "
                            + SYS
                            + "/unmarked is not marked for "
                            + "notification credentials")),
        "an unusable credential is an Event, not only a retried log line: " + problems);
    notifier.close();

    // A restarted controller derives what is owed from the record: nothing delivered goes again.
    int before = received.size();
    Notifier restarted =
        new Notifier(
            client,
            SYS,
            f.clock,
            new WebhookTransport(),
            Duration.ofHours(1),
            Duration.ofMillis(50));
    f.notifyingThrough(restarted);
    for (int i = 0; i < 5; i++) {
      f.pass();
      Thread.sleep(100);
    }
    restarted.close();
    assertEquals(
        before,
        received.size(),
        "after a restart, nothing the record holds as delivered is sent again");
  }

  static RolloutStatus passUntil(ClusterFixture f, Predicate<RolloutStatus> done) {
    for (int i = 0; i < 40; i++) {
      f.pass();
      RolloutStatus s = f.get().getStatus();
      if (s != null && done.test(s)) return s;
    }
    throw new AssertionError("did not converge: " + f.get().getStatus());
  }

  static JsonNode read(String s) {
    try {
      return JSON.readTree(s);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
