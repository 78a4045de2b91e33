package dev.slipway.controller.notify;

import dev.slipway.analysis.provider.UpstreamText;
import dev.slipway.api.v1alpha1.RecordEntry;
import dev.slipway.api.v1alpha1.Rollout;
import dev.slipway.controller.evidence.EntryDraft;
import dev.slipway.controller.evidence.Targeted;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers a Rollout's notifications: at least once, with exponential back-off, each recorded in
 * the evidence. What is owed is derived from the record itself (its notifiable entries, minus the
 * deliveries it holds), so a controller that crashes mid-delivery delivers again after its restart
 * under the same event id, and a receiver drops the duplicate by that id. Deliveries run off the
 * reconcile threads; their outcome goes into the record on the Rollout's next pass, which a
 * finished delivery wakes.
 */
public final class Notifier {
  private static final Logger LOG = LoggerFactory.getLogger(Notifier.class);
  static final Duration FIRST_RETRY = Duration.ofSeconds(1);
  static final Duration MAX_RETRY = Duration.ofSeconds(60);
  static final Duration CONFIG_TTL = Duration.ofSeconds(10);

  private final KubernetesClient client;
  private final String namespace;
  private final Clock clock;
  private final WebhookTransport transport;
  private final Duration giveUpAfter;
  private final Duration firstRetry;
  private final ScheduledExecutorService pool =
      Executors.newScheduledThreadPool(
          2,
          r -> {
            Thread t = new Thread(r, "slipway-notify");
            t.setDaemon(true);
            return t;
          });

  /** Deliveries started and not yet recorded: ns/name|sink|eventId. */
  private final Set<String> inflight = ConcurrentHashMap.newKeySet();

  /** Outcomes waiting for the Rollout's next pass, by ns/name. */
  private final Map<String, List<Targeted>> finished = new ConcurrentHashMap<>();

  private volatile BiConsumer<String, String> wake = (ns, name) -> {};
  private volatile Loaded config;
  private volatile List<String> loggedProblems = List.of();

  private record Loaded(SinkConfig.Parsed parsed, Instant at) {}

  /**
   * A sink's credential cannot be used (Secret missing, unmarked, without the key): only a person
   * can fix it.
   */
  static final class CredentialProblem extends IllegalStateException {
    CredentialProblem(String message) {
      super(message);
    }
  }

  /**
   * By Rollout (ns/name) and sink: the credential problem its deliveries last met, raised as an
   * Event on its next pass.
   */
  private final Map<String, String> credentialProblems = new ConcurrentHashMap<>();

  private record Job(
      String ns,
      String name,
      String revision,
      int attempt,
      String sink,
      NotificationEvent event,
      Instant first,
      int tries,
      String firstError) {
    String key() {
      return inflightKey(ns, name, sink, event.id());
    }
  }

  public Notifier(
      KubernetesClient client,
      String controllerNamespace,
      Clock clock,
      WebhookTransport transport,
      Duration giveUpAfter) {
    this(client, controllerNamespace, clock, transport, giveUpAfter, FIRST_RETRY);
  }

  /**
   * @param firstRetry the first back-off; each next one doubles, up to {@link #MAX_RETRY}
   */
  public Notifier(
      KubernetesClient client,
      String controllerNamespace,
      Clock clock,
      WebhookTransport transport,
      Duration giveUpAfter,
      Duration firstRetry) {
    this.firstRetry = firstRetry;
    this.client = client;
    this.namespace = controllerNamespace;
    this.clock = clock;
    this.transport = transport;
    this.giveUpAfter = giveUpAfter;
  }

  /**
   * How a finished delivery asks for its Rollout's next pass (the reconciler's inbound event
   * source).
   */
  public void wakeWith(BiConsumer<String, String> wake) {
    this.wake = wake;
  }

  /**
   * After a pass: start the deliveries the attempt's record owes to the sinks the Rollout opts
   * into. The record is read only for a Rollout that opts into notifications (most do not: a pass
   * of theirs reads no record for this).
   *
   * @return problems worth an Event: a sink the Rollout names that is not configured, a bad sink
   */
  public List<String> offer(
      Rollout r, String revision, int attempt, Supplier<List<RecordEntry>> record) {
    List<String> names = SinkConfig.optedIn(r.getMetadata().getAnnotations());
    if (names.isEmpty() || revision == null) return List.of();
    List<RecordEntry> entries = record.get();
    SinkConfig.Parsed cfg = config();
    List<String> problems = new ArrayList<>();
    String ns = r.getMetadata().getNamespace();
    String name = r.getMetadata().getName();
    Set<String> done = NotificationEvents.delivered(entries);
    List<NotificationEvent> events = NotificationEvents.of(ns, name, revision, attempt, entries);
    for (String sinkName : names) {
      Sink sink = cfg.sinks().get(sinkName);
      if (sink == null) {
        String bad =
            cfg.problems().stream()
                .filter(p -> p.startsWith("sink " + sinkName + ":"))
                .findFirst()
                .orElse(null);
        problems.add(
            "notification sink "
                + sinkName
                + " "
                + (bad != null
                    ? "is invalid: " + bad.substring(bad.indexOf(':') + 2)
                    : "is not configured (ConfigMap "
                        + namespace
                        + "/"
                        + SinkConfig.CONFIG_MAP
                        + ", key "
                        + SinkConfig.KEY
                        + ")"));
        continue;
      }
      if (!sink.serves(ns)) {
        problems.add(
            "notification sink "
                + sinkName
                + " does not serve namespace "
                + ns
                + " (its namespaces in ConfigMap "
                + namespace
                + "/"
                + SinkConfig.CONFIG_MAP
                + " are "
                + sink.namespaces().stream().sorted().toList()
                + "); nothing is sent to it");
        continue;
      }
      String credential = credentialProblems.get(ns + "/" + name + "|" + sinkName);
      if (credential != null) {
        problems.add(
            credential
                + " (deliveries are retried until it is fixed, for up to "
                + giveUpAfter.toMinutes()
                + " min)");
      }
      for (NotificationEvent e : events) {
        if (!sink.wants(e.category()) || done.contains(sinkName + "|" + e.id())) continue;
        Job job = new Job(ns, name, revision, attempt, sinkName, e, clock.instant(), 0, null);
        if (inflight.add(job.key())) {
          pool.execute(() -> deliver(job));
        }
      }
    }
    return problems;
  }

  /** Deliveries finished since the Rollout's last pass, as entries for its record. */
  public List<Targeted> finished(String ns, String name) {
    List<Targeted> f = finished.get(ns + "/" + name);
    return f == null ? List.of() : List.copyOf(f);
  }

  /** These outcomes are in the record now. */
  public void recorded(String ns, String name, List<Targeted> written) {
    List<Targeted> f = finished.get(ns + "/" + name);
    if (f != null) f.removeAll(written);
    for (Targeted t : written) {
      inflight.remove(
          inflightKey(
              ns,
              name,
              String.valueOf(t.draft().data().get("sink")),
              String.valueOf(t.draft().data().get("eventId"))));
    }
  }

  private static String inflightKey(String ns, String name, String sink, String eventId) {
    return ns + "/" + name + "|" + sink + "|" + eventId;
  }

  public void forget(String ns, String name) {
    finished.remove(ns + "/" + name);
    credentialProblems.keySet().removeIf(k -> k.startsWith(ns + "/" + name + "|"));
    inflight.removeIf(k -> k.startsWith(ns + "/" + name + "|"));
  }

  public void close() {
    pool.shutdownNow();
  }

  private void deliver(Job job) {
    Sink sink = config().sinks().get(job.sink());
    if (sink == null) {
      LOG.warn(
          "notification {} for {}/{} not delivered: sink {} is no longer configured",
          job.event().id(),
          job.ns(),
          job.name(),
          job.sink());
      inflight.remove(job.key());
      return;
    }
    int tries = job.tries() + 1;
    String error;
    try {
      String url = sink.url() != null ? sink.url() : secret(sink.urlFrom());
      String auth = sink.authorizationFrom() == null ? null : secret(sink.authorizationFrom());
      credentialProblems.remove(job.ns() + "/" + job.name() + "|" + job.sink());
      int code = transport.send(sink.kind(), url, auth, job.event());
      if (code / 100 == 2) {
        finish(job, tries, NotificationEvents.DELIVERED, "delivered", code);
        return;
      }
      error = "HTTP " + code;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    } catch (CredentialProblem e) {
      error = e.getMessage();
      if (credentialProblems.put(
              job.ns() + "/" + job.name() + "|" + job.sink(),
              "notification sink " + job.sink() + ": " + error)
          == null) {
        wake.accept(job.ns(), job.name());
      }
    } catch (Exception e) {
      // A fixed phrase for the Event; the exception's text (it can quote the sink's reply) only in
      // the debug log.
      error = UpstreamText.connection(e);
      LOG.debug("notification {} to sink {}: {}", job.event().id(), job.sink(), e.toString());
    }
    Job next =
        new Job(
            job.ns(),
            job.name(),
            job.revision(),
            job.attempt(),
            job.sink(),
            job.event(),
            job.first(),
            tries,
            job.firstError() == null ? error : job.firstError());
    if (Duration.between(job.first(), clock.instant()).compareTo(giveUpAfter) >= 0) {
      LOG.warn(
          "notification {} for {}/{} to sink {} abandoned after {} tries over {}: {}",
          job.event().id(),
          job.ns(),
          job.name(),
          job.sink(),
          tries,
          giveUpAfter,
          error);
      finish(next, tries, NotificationEvents.FAILED, error, null);
      return;
    }
    Duration wait = backoff(firstRetry, tries);
    LOG.warn(
        "notification {} for {}/{} to sink {} failed (try {}): {}; trying again in {} s",
        job.event().id(),
        job.ns(),
        job.name(),
        job.sink(),
        tries,
        error,
        wait.toSeconds());
    // deliver() records its own failures (Events, the dead-letter log); nothing waits for it.
    Future<?> unused = pool.schedule(() -> deliver(next), wait.toMillis(), TimeUnit.MILLISECONDS);
  }

  static Duration backoff(Duration first, int tries) {
    long ms = first.toMillis() << Math.min(tries - 1, 16);
    return Duration.ofMillis(Math.min(ms, MAX_RETRY.toMillis()));
  }

  private void finish(Job job, int tries, String kind, String outcome, Integer status) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("sink", job.sink());
    data.put("eventId", job.event().id());
    data.put("eventType", job.event().type());
    data.put("entry", ((Map<?, ?>) job.event().data().get("evidence")).get("key"));
    data.put("outcome", outcome);
    data.put("httpStatus", status);
    data.put("tries", tries);
    data.put("firstTriedAt", job.first().toString());
    data.put("firstError", job.firstError());
    Targeted t =
        new Targeted(
            job.revision(),
            job.attempt(),
            new EntryDraft(
                "notify/" + job.sink() + "/" + job.event().id(),
                kind,
                EntryDraft.RESULT,
                null,
                clock.instant().toString(),
                data));
    finished.computeIfAbsent(job.ns() + "/" + job.name(), k -> new CopyOnWriteArrayList<>()).add(t);
    LOG.info(
        "notification {} for {}/{} to sink {}: {} after {} tries",
        job.event().id(),
        job.ns(),
        job.name(),
        job.sink(),
        outcome,
        tries);
    wake.accept(job.ns(), job.name());
  }

  private SinkConfig.Parsed config() {
    Loaded l = config;
    Instant now = clock.instant();
    if (l == null || Duration.between(l.at(), now).compareTo(CONFIG_TTL) >= 0) {
      ConfigMap cm =
          client.configMaps().inNamespace(namespace).withName(SinkConfig.CONFIG_MAP).get();
      SinkConfig.Parsed p =
          SinkConfig.parse(
              cm == null || cm.getData() == null ? null : cm.getData().get(SinkConfig.KEY));
      if (!p.problems().equals(loggedProblems)) {
        p.problems()
            .forEach(
                problem ->
                    LOG.warn(
                        "notification config {}/{}: {}",
                        namespace,
                        SinkConfig.CONFIG_MAP,
                        problem));
        loggedProblems = p.problems();
      }
      l = new Loaded(p, now);
      config = l;
    }
    return l.parsed();
  }

  /**
   * A credential from a Secret of the controller's namespace that is marked for notifications;
   * never logged.
   */
  private String secret(Sink.SecretRef ref) {
    Secret s = client.secrets().inNamespace(namespace).withName(ref.name()).get();
    if (s == null)
      throw new CredentialProblem("Secret " + namespace + "/" + ref.name() + " not found");
    String mark =
        s.getMetadata().getLabels() == null
            ? null
            : s.getMetadata().getLabels().get(SinkConfig.SECRET_OPT_IN);
    if (!"true".equals(mark)) {
      throw new CredentialProblem(
          "Secret "
              + namespace
              + "/"
              + ref.name()
              + " is not marked for notification credentials (label "
              + SinkConfig.SECRET_OPT_IN
              + "=true)");
    }
    if (s.getStringData() != null && s.getStringData().containsKey(ref.key()))
      return s.getStringData().get(ref.key());
    String v = s.getData() == null ? null : s.getData().get(ref.key());
    if (v == null)
      throw new CredentialProblem(
          "Secret " + namespace + "/" + ref.name() + " has no key " + ref.key());
    return new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8).strip();
  }
}
