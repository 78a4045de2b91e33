package dev.slipway.controller.reconcile;

import dev.slipway.api.v1alpha1.Rollout;
import dev.slipway.api.v1alpha1.RolloutStatus;
import dev.slipway.controller.core.Decision;
import dev.slipway.controller.core.Observations;
import dev.slipway.controller.core.RolloutDecider;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import dev.slipway.controller.evidence.Evidence;
import dev.slipway.controller.evidence.PassContext;
import dev.slipway.controller.evidence.Targeted;
import dev.slipway.controller.metrics.RolloutMetrics;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One reconcile: read fresh, observe, decide (pure), act, then write status once, only if it
 * changed, pinned to the resourceVersion we read so a concurrent manual request is never lost.
 */
public final class RolloutProcessor {
  private static final Logger LOG = LoggerFactory.getLogger(RolloutProcessor.class);
  static final Duration CONFLICT_RETRY = Duration.ofMillis(200);

  private final KubernetesClient client;
  private final ReplicaSets replicaSets;
  private final ObservationReader reader;
  private final ActionExecutor executor;
  private final EventRecorder events;
  private final Evidence evidence;
  private final AnalysisRunner analysis;
  private final RolloutMetrics metrics;
  private final Clock clock;
  private final BooleanSupplier mayAct;

  public ProcessorResult process(String namespace, String name) {
    long started = System.nanoTime();
    Pass pass = null;
    String outcome = "error";
    try {
      pass = processOnce(namespace, name);
      outcome = pass.outcome();
      return pass.result();
    } finally {
      Duration took = Duration.ofNanos(System.nanoTime() - started);
      if (pass == null) {
        metrics.pass(namespace, name, null, null, List.of(), clock.instant(), took, outcome);
      } else {
        metrics.pass(namespace, name, pass.before(), pass.result().status(), pass.actions(), pass.now(), took, outcome);
      }
    }
  }

  /** The Rollout was deleted: forget what memory holds about it (analysis runs, cached evidence, metric series). */
  public void forget(Rollout r) {
    analysis.reset(r);
    evidence.forget(r.getMetadata().getNamespace(), r.getMetadata().getName());
    metrics.forget(r.getMetadata().getNamespace(), r.getMetadata().getName());
  }

  private record Pass(ProcessorResult result, RolloutStatus before, List<dev.slipway.controller.core.Action> actions, Instant now,
      String outcome) {}

  private Pass processOnce(String namespace, String name) {
    Rollout r = client.resources(Rollout.class).inNamespace(namespace).withName(name).get();
    if (r == null || r.getMetadata().getDeletionTimestamp() != null) {
      return new Pass(new ProcessorResult(null, null), null, List.of(), clock.instant(), "gone");
    }
    // A spec without a template has no revision; the core reports it as InvalidSpec.
    String desired = r.getSpec() == null || r.getSpec().template() == null ? "" : TemplateHash.of(r.getSpec().template());
    Map<String, ReplicaSet> owned = replicaSets.owned(r);
    Observations obs = reader.read(r, desired, owned);
    Instant now = clock.instant();
    Decision d = RolloutDecider.decide(r.getSpec(), r.getStatus(), obs, now);
    if (!mayAct.getAsBoolean()) {
      return notActing(r, now);
    }
    // Evidence before action: the decision is persisted first (this throws if it cannot be), then
    // the actions run, then their result is persisted. Entry keys make a replayed pass write nothing twice.
    PassContext pass = PassContext.of(r, r.getStatus(), obs, d, now);
    List<Targeted> decided;
    try {
      decided = evidence.beforeActions(pass);
    } catch (KubernetesClientException e) {
      // Only an answer from the API server (403, 422, 5xx…) is news for the Rollout's status; a
      // client that cannot reach it, or is closing, cannot write status either: JOSDK retries.
      if (e.getCode() <= 0 || !mayAct.getAsBoolean()) throw e;
      return evidenceUnavailable(r, e, now);
    }
    List<String> problems = executor.execute(r, desired, owned, d.actions());
    evidence.afterActions(pass, decided, problems);
    String outcome = problems.isEmpty() ? "ok" : "problem";
    RolloutStatus next = EvidenceUnavailable.clear(d.status());
    if (!problems.isEmpty()) {
      String msg = String.join("; ", problems);
      if (!msg.equals(next.message())) {
        events.record(r, true, "ReconcileProblem", msg);
      }
      next = withMessage(next, msg);
    }
    Duration requeue = d.requeueAfter();
    if (!Objects.equals(next, r.getStatus()) && mayAct.getAsBoolean() && !writeStatus(r, next)) {
      requeue = CONFLICT_RETRY;
      outcome = "conflict";
    }
    return new Pass(new ProcessorResult(next, requeue), r.getStatus(), d.actions(), now, outcome);
  }

  /** This replica lost its lease or is shutting down: it neither records, acts nor writes. */
  private Pass notActing(Rollout r, Instant now) {
    LOG.debug("{}/{}: not acting (no lease, or shutting down)", r.getMetadata().getNamespace(), r.getMetadata().getName());
    return new Pass(new ProcessorResult(r.getStatus(), Duration.ofSeconds(5)), r.getStatus(), List.of(), now, "not-leader");
  }

  /**
   * The decision could not be persisted, so nothing acts (evidence before action). Say so where
   * people look, in status.message (Argo CD's health message), a condition and an Event, instead
   * of a controller that silently retries while the Rollout looks stuck.
   */
  private Pass evidenceUnavailable(Rollout r, KubernetesClientException e, Instant now) {
    RolloutStatus next = EvidenceUnavailable.mark(r.getStatus(), e, now, r.getMetadata().getGeneration());
    LOG.warn("{}/{}: {}", r.getMetadata().getNamespace(), r.getMetadata().getName(), next.message());
    if (r.getStatus() == null || !Objects.equals(next.message(), r.getStatus().message())) {
      events.record(r, true, EvidenceUnavailable.TYPE, next.message());
    }
    Duration requeue = EvidenceUnavailable.RETRY;
    if (!Objects.equals(next, r.getStatus())) {
      try {
        writeStatus(r, next);
      } catch (KubernetesClientException again) {
        LOG.debug("status of {}/{} not written either: {}", r.getMetadata().getNamespace(), r.getMetadata().getName(), again.getMessage());
      }
    }
    return new Pass(new ProcessorResult(next, requeue), r.getStatus(), List.of(), now, "evidence-unavailable");
  }

  /**
   * The one status write of a pass, pinned to the resourceVersion read, so a concurrent manual
   * request is never lost. False on a conflict (409): the next pass decides on fresh data.
   */
  private boolean writeStatus(Rollout r, RolloutStatus next) {
    Rollout copy = new Rollout();
    copy.setMetadata(r.getMetadata());
    copy.setSpec(r.getSpec());
    copy.setStatus(next);
    try {
      client.resource(copy).updateStatus();
      return true;
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) throw e;
      LOG.debug("status of {}/{} changed under us; retrying on fresh data", r.getMetadata().getNamespace(), r.getMetadata().getName());
      return false;
    }
  }

  private static RolloutStatus withMessage(RolloutStatus s, String message) {
    RolloutStatus.Builder b = s.toBuilder();
    b.message = message;
    return b.build();
  }

  /** What one pass produced: the status written (or kept) and when to look again (null: on events only). */
  public record ProcessorResult(RolloutStatus status, Duration requeueAfter) {}

  public RolloutProcessor(KubernetesClient client, ReplicaSets replicaSets, ObservationReader reader,
      ActionExecutor executor, EventRecorder events, Evidence evidence, AnalysisRunner analysis, RolloutMetrics metrics,
      Clock clock) {
    this(client, replicaSets, reader, executor, events, evidence, analysis, metrics, clock, () -> true);
  }

  /** @param mayAct whether this replica may act now (it leads, and is not shutting down) */
  public RolloutProcessor(KubernetesClient client, ReplicaSets replicaSets, ObservationReader reader,
      ActionExecutor executor, EventRecorder events, Evidence evidence, AnalysisRunner analysis, RolloutMetrics metrics,
      Clock clock, BooleanSupplier mayAct) {
    this.mayAct = mayAct;
    this.evidence = evidence;
    this.analysis = analysis;
    this.metrics = metrics;
    this.client = client;
    this.replicaSets = replicaSets;
    this.reader = reader;
    this.executor = executor;
    this.events = events;
    this.clock = clock;
  }
}
