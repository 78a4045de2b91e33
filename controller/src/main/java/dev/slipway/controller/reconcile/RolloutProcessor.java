package dev.slipway.controller.reconcile;

import dev.slipway.api.v1alpha1.Rollout;
import dev.slipway.api.v1alpha1.RolloutStatus;
import dev.slipway.controller.core.Decision;
import dev.slipway.controller.core.Observations;
import dev.slipway.controller.core.RolloutDecider;
import dev.slipway.controller.dora.Attempt;
import dev.slipway.controller.evidence.Evidence;
import dev.slipway.controller.evidence.OwedResults;
import dev.slipway.controller.evidence.PassContext;
import dev.slipway.controller.evidence.Targeted;
import dev.slipway.controller.kube.ClusterReads;
import dev.slipway.controller.notify.Notifier;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One reconcile, as a pipeline: read → hold (the finalizer) → observe and decide (pure) → record
 * the decision → act → record the results → compose the status → notify → write status once, only
 * if it changed, pinned to the resourceVersion read, so a concurrent manual request is never lost.
 * Each step is a method below, in that order; a step that cannot go on ends the pass with what it
 * knows (a failure in status, a retry). A Rollout being deleted takes {@link TrafficReleasePass}
 * instead.
 */
public final class RolloutProcessor {
  private static final Logger LOG = LoggerFactory.getLogger(RolloutProcessor.class);
  static final Duration CONFLICT_RETRY = Duration.ofMillis(200);

  /** A pass longer than this leaves a log line saying where its time went. */
  static final Duration SLOW_PASS = Duration.ofMillis(500);

  private final ProcessorParts parts;
  private final StatusWrites writes;
  private final PassNotifications notifications;
  private final TrafficReleasePass releasePass;

  /** Namespaces already warned that the finalizer could not be added. */
  private final Set<String> unheld = ConcurrentHashMap.newKeySet();

  /**
   * The Rollouts that may claim what this one names: listed, until the reconciler points it at its
   * informer cache ({@link #useInformers}).
   */
  private volatile Function<Rollout, List<Rollout>> peers;

  public RolloutProcessor(ProcessorParts parts) {
    this.parts = parts;
    this.writes = new StatusWrites(parts.client());
    this.notifications = new PassNotifications(parts.notifier(), parts.evidence(), parts.events());
    this.releasePass =
        parts.release() == null
            ? null
            : new TrafficReleasePass(
                parts.client(), parts.release(), parts.evidence(), parts.events());
    this.peers = parts.listedPeers();
  }

  /**
   * What one pass produced: the status written (or kept) and when to look again (null: on events
   * only).
   */
  public record ProcessorResult(RolloutStatus status, Duration requeueAfter) {}

  /** What a pass reads and decides, before anything is recorded or done. */
  private record Decided(
      String desired, Map<String, ReplicaSet> owned, Observations obs, Decision d) {}

  public Notifier notifier() {
    return notifications.notifier();
  }

  /**
   * From now on, find peers and read ReplicaSets, routes and Services through the reconciler's
   * informers.
   */
  public void useInformers(Function<Rollout, List<Rollout>> informerPeers, ClusterReads informers) {
    this.peers = informerPeers;
    if (parts.reads() != null) {
      parts.reads().use(informers);
    }
  }

  /**
   * The Rollout was deleted: forget what memory holds about it (analysis runs, cached evidence,
   * metric series).
   */
  public void forget(Rollout r) {
    String ns = r.getMetadata().getNamespace();
    String name = r.getMetadata().getName();
    writes.forget(r.getMetadata().getUid());
    parts.reader().forget(r.getMetadata().getUid());
    parts.analysis().reset(r);
    parts.events().forget(r.getMetadata().getUid());
    parts.evidence().forget(ns, name);
    notifications.forget(ns, name);
    parts.metrics().forget(ns, name);
  }

  public ProcessorResult process(String namespace, String name) {
    return process(namespace, name, null);
  }

  /**
   * One pass, starting from the informer's copy of the Rollout when it already shows our last
   * status write (no request on the way to a decision), else from a fresh read: a decision is never
   * taken on a status older than one we wrote, so a manual request is never applied twice.
   */
  public ProcessorResult process(String namespace, String name, Rollout cached) {
    long started = System.nanoTime();
    PassOutcome pass = null;
    String outcome = "error";
    PassStages stages = new PassStages();
    try {
      pass = pipeline(namespace, name, cached, stages);
      outcome = pass.outcome();
      return pass.result();
    } finally {
      Duration took = Duration.ofNanos(System.nanoTime() - started);
      if (took.compareTo(SLOW_PASS) > 0) {
        LOG.info("{}/{}: slow pass, {} ms: {}", namespace, name, took.toMillis(), stages);
      }
      if (pass == null) {
        parts
            .metrics()
            .pass(namespace, name, null, null, List.of(), parts.clock().instant(), took, outcome);
      } else {
        parts
            .metrics()
            .pass(
                namespace,
                name,
                pass.before(),
                pass.result().status(),
                pass.actions(),
                pass.now(),
                took,
                outcome,
                pass.commitTime());
      }
    }
  }

  private PassOutcome pipeline(String namespace, String name, Rollout cached, PassStages stages) {
    Rollout r = read(namespace, name, cached);
    stages.mark("read");
    if (r == null) {
      return PassOutcome.gone(null, parts.clock().instant(), "gone");
    }
    if (r.getMetadata().getDeletionTimestamp() != null) {
      return deleting(r);
    }
    Rollout held = hold(r);
    if (held == null) {
      return PassOutcome.retry(r.getStatus(), CONFLICT_RETRY, parts.clock().instant(), "conflict");
    }
    r = held;
    Instant now = parts.clock().instant();
    Decided decided;
    HasMetadata workload;
    try {
      // Read once: it lends the pod template (spec.workloadRef without spec.template) and is
      // judged for adoption, or walked in place.
      workload = parts.reader().workloadObject(r);
    } catch (KubernetesClientException e) {
      if (e.getCode() <= 0) throw e;
      return failed(r, ActionFailure.of("reading the cluster", e), r.getStatus(), now);
    }
    r = WorkloadTemplates.resolved(r, workload);
    try {
      stages.mark("hold and workload");
      decided = observeAndDecide(r, workload, now);
      stages.mark("observe and decide");
    } catch (KubernetesClientException e) {
      // No answer at all (unreachable, closing): nothing can be written either; JOSDK retries.
      if (e.getCode() <= 0) throw e;
      return failed(r, ActionFailure.of("reading the cluster", e), r.getStatus(), now);
    } catch (RuntimeException e) {
      // The core must not throw for any admitted spec (RolloutDeciderPropertyTest); if it ever
      // does, the Rollout says so instead of JOSDK retrying in silence.
      LOG.error("{}/{}: deciding failed", namespace, name, e);
      return failed(r, ActionFailure.of("deciding", e), r.getStatus(), now);
    }
    if (!mayAct(r)) {
      return notActing(r, now);
    }
    // Evidence before action: the decision is persisted first (this throws if it cannot be), then
    // the actions run, then their result is persisted. Entry keys make a replayed pass write
    // nothing twice.
    Decision d = decided.d();
    PassContext pass = PassContext.of(r, r.getStatus(), decided.obs(), d, now);
    List<Targeted> recorded;
    try {
      recorded = recordDecision(r, pass);
      stages.mark("record decision");
    } catch (KubernetesClientException e) {
      // Only an answer from the API server (403, 422, 5xx…) is news for the Rollout's status; a
      // client that cannot reach it, or is closing, cannot write status either: JOSDK retries.
      if (e.getCode() <= 0 || !mayAct(r)) throw e;
      return evidenceUnavailable(r, e, now);
    }
    ActionExecutor.Outcome done =
        parts.executor().execute(r, decided.desired(), decided.owned(), d.actions());
    List<String> problems = new ArrayList<>(done.problems());
    if (done.failure() != null) {
      problems.add(done.failure().message());
    }
    stages.mark("act");
    List<Targeted> unconfirmed = parts.evidence().afterActions(pass, recorded, problems);
    stages.mark("record results");
    if (done.failure() != null) {
      return failed(r, done.failure(), EvidenceUnavailable.clear(d.status()), now);
    }
    RolloutStatus next = compose(r, d, problems);
    DecisionLog.passed(r, r.getStatus(), d.actions(), next);
    notifications.offer(r, next);
    PassOutcome written = write(r, pass, next, unconfirmed, problems.isEmpty() ? "ok" : "problem");
    stages.mark("status");
    return written;
  }

  /** Step 1: the informer's copy if it shows our last write, else a fresh read (null: gone). */
  private Rollout read(String namespace, String name, Rollout cached) {
    return writes.fresh(cached)
        ? cached
        : parts.client().resources(Rollout.class).inNamespace(namespace).withName(name).get();
  }

  /**
   * Step 2, once in a Rollout's life: its finalizer, so that its deletion waits until its traffic
   * is released. Returns the Rollout to go on with, or null when it changed under us (read again).
   */
  private Rollout hold(Rollout r) {
    String namespace = r.getMetadata().getNamespace();
    if (parts.release() == null
        || TrafficRelease.holds(r)
        || !mayAct(r)
        || unheld.contains(namespace)) {
      return r;
    }
    try {
      Rollout held = parts.release().hold(r);
      writes.superseded(r);
      return held;
    } catch (KubernetesClientException e) {
      if (e.getCode() <= 0) throw e;
      if (e.getCode() == 409 || e.getCode() == 422) {
        return null;
      }
      // Not allowed (RBAC from before the finalizer): reconcile without it rather than not at all.
      if (unheld.add(namespace)) {
        LOG.warn(
            "{}/{}: finalizer {} not added (HTTP {}): a deletion will not release traffic first; grant patch on rollouts",
            namespace,
            r.getMetadata().getName(),
            TrafficRelease.FINALIZER,
            e.getCode());
      }
      return r;
    }
  }

  /** Step 3: what the cluster shows, and the pure core's decision on it. */
  private Decided observeAndDecide(Rollout r, HasMetadata workload, Instant now) {
    // A spec without a template has no revision; the core reports it as InvalidSpec. A StatefulSet
    // walked in place names its revisions itself (its ControllerRevisions), and owns no
    // ReplicaSets of ours; so does a DaemonSet, whose revision the reader names from the
    // ControllerRevisions it reads anyway (the template's hash stands until they are read).
    String desired =
        r.getSpec() == null || r.getSpec().template() == null
            ? ""
            : workload instanceof StatefulSet sts && StatefulSets.updateRevision(sts) != null
                ? StatefulSets.updateRevision(sts)
                : TemplateHash.of(r.getSpec().template());
    Map<String, ReplicaSet> owned =
        workload instanceof StatefulSet || workload instanceof DaemonSet
            ? Map.of()
            : parts.replicaSets().owned(r);
    Observations obs = parts.reader().read(r, desired, owned, peers.apply(r), workload);
    return new Decided(
        obs.desiredRevision(),
        owned,
        obs,
        RolloutDecider.decide(r.getSpec(), r.getStatus(), obs, now));
  }

  /**
   * Step 4: the decision and the deliveries finished since the last pass, in the record before any
   * action; what the evidence layer has to say (a gap found) becomes Events.
   */
  private List<Targeted> recordDecision(Rollout r, PassContext pass) {
    String namespace = r.getMetadata().getNamespace();
    String name = r.getMetadata().getName();
    List<Targeted> recorded = parts.evidence().beforeActions(pass);
    for (Evidence.Notice n : parts.evidence().takeNotices(namespace, name)) {
      parts.events().record(r, true, n.reason(), n.message());
    }
    notifications.recordDelivered(pass, namespace, name);
    return recorded;
  }

  /**
   * Step 5: the status to write: the decided one, anchored to the record's head, with any problem.
   */
  private RolloutStatus compose(Rollout r, Decision d, List<String> problems) {
    RolloutStatus next = anchored(r, ActionFailure.clear(EvidenceUnavailable.clear(d.status())));
    if (problems.isEmpty()) {
      return next;
    }
    String msg = String.join("; ", problems);
    if (!msg.equals(next.message())) {
      parts.events().record(r, true, "ReconcileProblem", msg);
    }
    RolloutStatus.Builder b = next.toBuilder();
    b.message = msg;
    return b.build();
  }

  /**
   * Step 6: the one status write, if anything changed. Results not yet confirmed by a status write
   * are recorded at once when the write does not happen.
   */
  private PassOutcome write(
      Rollout r, PassContext pass, RolloutStatus next, List<Targeted> unconfirmed, String outcome) {
    String namespace = r.getMetadata().getNamespace();
    String name = r.getMetadata().getName();
    Duration requeue = owedFirst(pass.decision().requeueAfter(), namespace, name, pass.now());
    boolean changed = !Objects.equals(next, r.getStatus());
    boolean written = false;
    try {
      if (changed && mayAct(r)) {
        written = writes.write(r, next);
        if (!written) {
          requeue = CONFLICT_RETRY;
          outcome = "conflict";
        } else if (!unconfirmed.isEmpty()
            && (requeue == null || requeue.compareTo(OwedResults.MAX_WAIT) > 0)) {
          // Confirmed, and owed to the record: a pass comes by then at the latest to write them.
          requeue = OwedResults.MAX_WAIT;
        }
      }
    } finally {
      // The actions ran; without the status write nothing confirms their results: record them now.
      if (!unconfirmed.isEmpty() && changed && !written) {
        try {
          parts.evidence().unconfirmed(pass, unconfirmed);
        } catch (KubernetesClientException e) {
          // Not lost: a replay re-derives the same decisions, whose status write then confirms
          // them.
          LOG.warn("{}/{}: results not recorded yet: {}", namespace, name, e.getMessage());
        }
      }
    }
    return new PassOutcome(
        new ProcessorResult(next, requeue),
        r.getStatus(),
        pass.decision().actions(),
        pass.now(),
        outcome,
        Attempt.commitTime(r.getMetadata().getAnnotations()));
  }

  /**
   * A Rollout being deleted: released by {@link TrafficReleasePass} while our finalizer holds it.
   */
  private PassOutcome deleting(Rollout r) {
    Instant now = parts.clock().instant();
    if (releasePass == null || !TrafficRelease.holds(r)) {
      return PassOutcome.gone(null, now, "gone");
    }
    if (!mayAct(r)) {
      return notActing(r, now);
    }
    return releasePass.run(r, now);
  }

  private boolean mayAct(Rollout r) {
    return parts.mayAct().test(r);
  }

  /**
   * Looks again no later than when owed evidence results must be written, even with nothing else to
   * do.
   */
  private Duration owedFirst(Duration requeue, String namespace, String name, Instant now) {
    Instant due = parts.evidence().owedDue(namespace, name);
    if (due == null) return requeue;
    Duration untilDue = Duration.between(now, due);
    if (untilDue.isNegative()) untilDue = Duration.ZERO;
    return requeue == null || untilDue.compareTo(requeue) < 0 ? untilDue : requeue;
  }

  /**
   * A read, a decision or an action failed: the status says so in this pass (condition, message,
   * observedGeneration; phase Degraded when retrying cannot fix it), with one Event however often
   * it recurs, and the Rollout is looked at again on its next change or after a back-off.
   */
  private PassOutcome failed(Rollout r, ActionFailure f, RolloutStatus base, Instant now) {
    long generation = r.getMetadata().getGeneration() == null ? 0 : r.getMetadata().getGeneration();
    RolloutStatus next = f.mark(base, now, generation);
    LOG.warn("{}/{}: {}", r.getMetadata().getNamespace(), r.getMetadata().getName(), f.message());
    if (!mayAct(r)) {
      return notActing(r, now);
    }
    parts.events().record(r, true, ActionFailure.TYPE, f.message());
    Duration requeue = f.retry();
    if (!Objects.equals(next, r.getStatus())) {
      try {
        if (!writes.write(r, next)) {
          requeue = CONFLICT_RETRY;
        }
      } catch (KubernetesClientException again) {
        LOG.warn(
            "status of {}/{} not written either: {}",
            r.getMetadata().getNamespace(),
            r.getMetadata().getName(),
            again.getMessage());
      }
    }
    return PassOutcome.idle(new ProcessorResult(next, requeue), r.getStatus(), now, "failed");
  }

  /** This replica lost its lease or is shutting down: it neither records, acts nor writes. */
  private PassOutcome notActing(Rollout r, Instant now) {
    LOG.debug(
        "{}/{}: not acting (no lease, or shutting down)",
        r.getMetadata().getNamespace(),
        r.getMetadata().getName());
    return PassOutcome.retry(r.getStatus(), Duration.ofSeconds(5), now, "not-leader");
  }

  /**
   * The decision could not be persisted, so nothing acts (evidence before action). Say so where
   * people look, in status.message (Argo CD's health message), a condition and an Event, instead of
   * a controller that silently retries while the Rollout looks stuck.
   */
  private PassOutcome evidenceUnavailable(Rollout r, KubernetesClientException e, Instant now) {
    RolloutStatus next =
        EvidenceUnavailable.mark(r.getStatus(), e, now, r.getMetadata().getGeneration());
    LOG.warn(
        "{}/{}: {}", r.getMetadata().getNamespace(), r.getMetadata().getName(), next.message());
    if (r.getStatus() == null || !Objects.equals(next.message(), r.getStatus().message())) {
      parts.events().record(r, true, EvidenceUnavailable.TYPE, next.message());
    }
    if (!Objects.equals(next, r.getStatus())) {
      try {
        writes.write(r, next);
      } catch (KubernetesClientException again) {
        LOG.debug(
            "status of {}/{} not written either: {}",
            r.getMetadata().getNamespace(),
            r.getMetadata().getName(),
            again.getMessage());
      }
    }
    return PassOutcome.idle(
        new ProcessorResult(next, EvidenceUnavailable.RETRY),
        r.getStatus(),
        now,
        "evidence-unavailable");
  }

  /**
   * The current attempt's evidence head in status: a second copy, outside the record, so that a
   * record deleted and recreated shorter is noticed (`kubectl slipway evidence verify --rollout`).
   */
  private RolloutStatus anchored(Rollout r, RolloutStatus s) {
    String revision = s.canaryRevision() != null ? s.canaryRevision() : s.stableRevision();
    if (revision == null) return s;
    String head =
        parts
            .evidence()
            .head(
                r.getMetadata().getNamespace(),
                r.getMetadata().getName(),
                revision,
                s.attempt() == null ? 1 : s.attempt());
    if (head == null || head.equals(s.evidenceHead())) return s;
    RolloutStatus.Builder b = s.toBuilder();
    b.evidenceHead = head;
    return b.build();
  }
}
