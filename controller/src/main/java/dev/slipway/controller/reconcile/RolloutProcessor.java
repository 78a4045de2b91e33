package dev.slipway.controller.reconcile;

import dev.slipway.api.v1alpha1.Rollout;
import dev.slipway.api.v1alpha1.RolloutStatus;
import dev.slipway.controller.analysis.AnalysisRunner;
import dev.slipway.controller.core.Action;
import dev.slipway.controller.core.Decision;
import dev.slipway.controller.core.Observations;
import dev.slipway.controller.core.RolloutDecider;
import dev.slipway.controller.dora.Attempt;
import dev.slipway.controller.evidence.EntryDraft;
import dev.slipway.controller.evidence.Evidence;
import dev.slipway.controller.evidence.OwedResults;
import dev.slipway.controller.evidence.PassContext;
import dev.slipway.controller.evidence.Targeted;
import dev.slipway.controller.kube.ClusterReads;
import dev.slipway.controller.kube.ReplicaSets;
import dev.slipway.controller.metrics.RolloutMetrics;
import dev.slipway.controller.notify.Notifier;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
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

  /**
   * The Rollouts that may claim what this one names; the reconciler swaps in its informer cache.
   */
  private volatile Function<Rollout, List<Rollout>> peers;

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
    Pass pass = null;
    String outcome = "error";
    try {
      pass = processOnce(namespace, name, cached);
      outcome = pass.outcome();
      return pass.result();
    } finally {
      Duration took = Duration.ofNanos(System.nanoTime() - started);
      if (pass == null) {
        metrics.pass(namespace, name, null, null, List.of(), clock.instant(), took, outcome);
      } else {
        metrics.pass(
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

  private volatile ClusterReads.Switchable reads;
  private volatile Notifier notifier;

  /** Deliver notifications through this notifier (none without it). */
  public RolloutProcessor notifyingThrough(Notifier n) {
    this.notifier = n;
    return this;
  }

  public Notifier notifier() {
    return notifier;
  }

  /**
   * The reads this processor's parts share, so that the reconciler can point them at its informers.
   */
  public RolloutProcessor readsFrom(ClusterReads.Switchable shared) {
    this.reads = shared;
    return this;
  }

  /** From now on, read ReplicaSets, routes and Services from these (the informers' caches). */
  public void useReads(ClusterReads informers) {
    if (reads != null) {
      reads.use(informers);
    }
  }

  /**
   * Per Rollout uid, the resourceVersion our last status write replaced: a cached copy still at it
   * has not seen that write yet. Removed once a copy past it is used, so it stays small.
   */
  private final Map<String, String> supersededByOurWrite = new ConcurrentHashMap<>();

  private boolean fresh(Rollout cached) {
    if (cached == null
        || cached.getMetadata().getUid() == null
        || cached.getMetadata().getResourceVersion() == null) {
      return false;
    }
    String stale = supersededByOurWrite.get(cached.getMetadata().getUid());
    if (cached.getMetadata().getResourceVersion().equals(stale)) {
      return false;
    }
    if (stale != null) {
      supersededByOurWrite.remove(cached.getMetadata().getUid(), stale);
    }
    return true;
  }

  /** Where the Rollouts that could claim the same Services and route rules come from. */
  public void usePeers(Function<Rollout, List<Rollout>> source) {
    this.peers = source;
  }

  /**
   * The Rollout was deleted: forget what memory holds about it (analysis runs, cached evidence,
   * metric series).
   */
  public void forget(Rollout r) {
    if (r.getMetadata().getUid() != null) {
      supersededByOurWrite.remove(r.getMetadata().getUid());
    }
    analysis.reset(r);
    events.forget(r.getMetadata().getUid());
    evidence.forget(r.getMetadata().getNamespace(), r.getMetadata().getName());
    if (notifier != null)
      notifier.forget(r.getMetadata().getNamespace(), r.getMetadata().getName());
    metrics.forget(r.getMetadata().getNamespace(), r.getMetadata().getName());
  }

  private record Pass(
      ProcessorResult result,
      RolloutStatus before,
      List<Action> actions,
      Instant now,
      String outcome,
      Instant commitTime) {
    Pass(
        ProcessorResult result,
        RolloutStatus before,
        List<Action> actions,
        Instant now,
        String outcome) {
      this(result, before, actions, now, outcome, null);
    }
  }

  private Pass processOnce(String namespace, String name, Rollout cached) {
    Rollout r =
        fresh(cached)
            ? cached
            : client.resources(Rollout.class).inNamespace(namespace).withName(name).get();
    if (r == null) {
      return new Pass(new ProcessorResult(null, null), null, List.of(), clock.instant(), "gone");
    }
    if (r.getMetadata().getDeletionTimestamp() != null) {
      return deleting(r);
    }
    if (release != null
        && !TrafficRelease.holds(r)
        && mayAct.getAsBoolean()
        && !unheld.contains(namespace)) {
      // Once in a Rollout's life: its deletion will wait until its traffic is released.
      try {
        Rollout held = release.hold(r);
        if (r.getMetadata().getUid() != null)
          supersededByOurWrite.put(r.getMetadata().getUid(), r.getMetadata().getResourceVersion());
        r = held;
      } catch (KubernetesClientException e) {
        if (e.getCode() <= 0) throw e;
        if (e.getCode() == 409 || e.getCode() == 422) {
          // Changed since we read it: read again.
          return new Pass(
              new ProcessorResult(r.getStatus(), CONFLICT_RETRY),
              r.getStatus(),
              List.of(),
              clock.instant(),
              "conflict");
        }
        // Not allowed (RBAC from before the finalizer): reconcile without it rather than not at
        // all.
        if (unheld.add(namespace)) {
          LOG.warn(
              "{}/{}: finalizer {} not added (HTTP {}): a deletion will not release traffic first; grant patch on rollouts",
              namespace,
              name,
              TrafficRelease.FINALIZER,
              e.getCode());
        }
      }
    }
    // A spec without a template has no revision; the core reports it as InvalidSpec.
    String desired =
        r.getSpec() == null || r.getSpec().template() == null
            ? ""
            : TemplateHash.of(r.getSpec().template());
    Instant now = clock.instant();
    Map<String, ReplicaSet> owned;
    Observations obs;
    Decision d;
    try {
      owned = replicaSets.owned(r);
      obs = reader.read(r, desired, owned, peers.apply(r));
      d = RolloutDecider.decide(r.getSpec(), r.getStatus(), obs, now);
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
    if (!mayAct.getAsBoolean()) {
      return notActing(r, now);
    }
    // Evidence before action: the decision is persisted first (this throws if it cannot be), then
    // the actions run, then their result is persisted. Entry keys make a replayed pass write
    // nothing twice.
    PassContext pass = PassContext.of(r, r.getStatus(), obs, d, now);
    List<Targeted> decided;
    try {
      decided = evidence.beforeActions(pass);
      for (Evidence.Notice n : evidence.takeNotices(namespace, name)) {
        events.record(r, true, n.reason(), n.message());
      }
      List<Targeted> delivered = notifier == null ? List.of() : notifier.finished(namespace, name);
      if (!delivered.isEmpty()) {
        evidence.record(pass, delivered);
        notifier.recorded(namespace, name, delivered);
      }
    } catch (KubernetesClientException e) {
      // Only an answer from the API server (403, 422, 5xx…) is news for the Rollout's status; a
      // client that cannot reach it, or is closing, cannot write status either: JOSDK retries.
      if (e.getCode() <= 0 || !mayAct.getAsBoolean()) throw e;
      return evidenceUnavailable(r, e, now);
    }
    ActionExecutor.Outcome done = executor.execute(r, desired, owned, d.actions());
    List<String> problems = new ArrayList<>(done.problems());
    if (done.failure() != null) {
      problems.add(done.failure().message());
    }
    List<Targeted> unconfirmed = evidence.afterActions(pass, decided, problems);
    if (done.failure() != null) {
      return failed(r, done.failure(), EvidenceUnavailable.clear(d.status()), now);
    }
    String outcome = problems.isEmpty() ? "ok" : "problem";
    RolloutStatus next = anchored(r, ActionFailure.clear(EvidenceUnavailable.clear(d.status())));
    if (!problems.isEmpty()) {
      String msg = String.join("; ", problems);
      if (!msg.equals(next.message())) {
        events.record(r, true, "ReconcileProblem", msg);
      }
      next = withMessage(next, msg);
    }
    DecisionLog.passed(r, r.getStatus(), d.actions(), next);
    notify(r, next);
    Duration requeue = owedFirst(d.requeueAfter(), namespace, name, now);
    boolean changed = !Objects.equals(next, r.getStatus());
    boolean written = false;
    try {
      if (changed && mayAct.getAsBoolean()) {
        written = writeStatus(r, next);
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
          evidence.unconfirmed(pass, unconfirmed);
        } catch (KubernetesClientException e) {
          // Not lost: a replay re-derives the same decisions, whose status write then confirms
          // them.
          LOG.warn("{}/{}: results not recorded yet: {}", namespace, name, e.getMessage());
        }
      }
    }
    return new Pass(
        new ProcessorResult(next, requeue),
        r.getStatus(),
        d.actions(),
        now,
        outcome,
        Attempt.commitTime(r.getMetadata().getAnnotations()));
  }

  private volatile TrafficRelease release;

  /** Namespaces already warned that the finalizer could not be added. */
  private final Set<String> unheld = ConcurrentHashMap.newKeySet();

  /**
   * Hold each Rollout's deletion (a finalizer) until its traffic is released; without it, a deleted
   * Rollout is only forgotten.
   */
  public RolloutProcessor releasingWith(TrafficRelease r) {
    this.release = r;
    return this;
  }

  /**
   * The Rollout is being deleted and its finalizer holds it: record the decision, send all traffic
   * to stable and take our selector key off the Services, record what was done, then let the
   * deletion finish. Anything that fails keeps the finalizer and is tried again.
   */
  private Pass deleting(Rollout r) {
    Instant now = clock.instant();
    if (release == null || !TrafficRelease.holds(r)) {
      return new Pass(new ProcessorResult(null, null), null, List.of(), now, "gone");
    }
    if (!mayAct.getAsBoolean()) {
      return notActing(r, now);
    }
    RolloutStatus st = r.getStatus() == null ? RolloutStatus.empty() : r.getStatus();
    String revision = st.canaryRevision() != null ? st.canaryRevision() : st.stableRevision();
    int attempt = st.attempt() == null ? 1 : st.attempt();
    PassContext pass = PassContext.of(r, st, null, new Decision(st, List.of(), null), now);
    String uid = r.getMetadata().getUid();
    // A namespace being deleted takes its records with it, and refuses new ones: record nothing
    // there,
    // or the deletion of the namespace would wait forever on this finalizer.
    boolean recording = revision != null && !namespaceTerminating(r.getMetadata().getNamespace());
    if (recording) {
      Map<String, Object> decided = new LinkedHashMap<>();
      decided.put("deletionTimestamp", r.getMetadata().getDeletionTimestamp());
      decided.put("state", st.state() == null ? null : st.state().name());
      decided.put("verifiedWeight", st.verifiedWeight());
      decided.put(
          "then",
          "routes to the stable Service, Slipway's selector key off the Services, then the deletion finishes");
      recording =
          recordWhileDeleting(
              r,
              pass,
              new Targeted(
                  revision,
                  attempt,
                  new EntryDraft(
                      "deleted/" + uid,
                      "RolloutDeleted",
                      EntryDraft.DECISION,
                      st.currentStepIndex(),
                      now.toString(),
                      decided)));
    }
    TrafficRelease.Released done = release.release(r);
    if (!done.problems().isEmpty()) {
      String msg = "deleting: traffic not released yet: " + String.join("; ", done.problems());
      LOG.warn("{}/{}: {}", r.getMetadata().getNamespace(), r.getMetadata().getName(), msg);
      events.record(r, true, "ReleaseProblem", msg);
      return new Pass(
          new ProcessorResult(st, Duration.ofSeconds(5)), st, List.of(), now, "problem");
    }
    if (recording) {
      Map<String, Object> result = new LinkedHashMap<>();
      result.put("done", done.done());
      recordWhileDeleting(
          r,
          pass,
          new Targeted(
              revision,
              attempt,
              new EntryDraft(
                  "deleted/" + uid + "/result",
                  "TrafficReleased",
                  EntryDraft.RESULT,
                  st.currentStepIndex(),
                  now.toString(),
                  result)));
    }
    events.record(
        r,
        false,
        "TrafficReleased",
        done.done().isEmpty() ? "nothing of Slipway's to release" : String.join("; ", done.done()));
    try {
      release.let(r);
    } catch (KubernetesClientException e) {
      if (e.getCode() <= 0) throw e;
      return new Pass(new ProcessorResult(st, CONFLICT_RETRY), st, List.of(), now, "conflict");
    }
    return new Pass(new ProcessorResult(null, null), st, List.of(), now, "released");
  }

  /**
   * Records one entry of a deletion. A passing failure is thrown, so the whole deletion pass is
   * retried (every step of it is idempotent); one that will not pass is logged, and returns false:
   * it must not keep traffic on pods about to go.
   */
  private boolean recordWhileDeleting(Rollout r, PassContext pass, Targeted entry) {
    try {
      evidence.record(pass, List.of(entry));
      return true;
    } catch (KubernetesClientException e) {
      if (e.getCode() <= 0 || e.getCode() == 429 || e.getCode() >= 500) throw e;
      LOG.warn(
          "{}/{}: deleting: {} not recorded (HTTP {}); releasing traffic anyway",
          r.getMetadata().getNamespace(),
          r.getMetadata().getName(),
          entry.draft().kind(),
          e.getCode());
      return false;
    }
  }

  private boolean namespaceTerminating(String namespace) {
    try {
      var ns = client.namespaces().withName(namespace).get();
      return ns == null || ns.getMetadata().getDeletionTimestamp() != null;
    } catch (KubernetesClientException e) {
      return false;
    }
  }

  /** Starts the deliveries the current attempt's record owes to the sinks the Rollout opts into. */
  private void notify(Rollout r, RolloutStatus next) {
    if (notifier == null) return;
    String revision = next.canaryRevision() != null ? next.canaryRevision() : next.stableRevision();
    int attempt = next.attempt() == null ? 1 : next.attempt();
    try {
      List<String> problems =
          notifier.offer(
              r,
              revision,
              attempt,
              revision == null
                  ? List.of()
                  : evidence.entries(
                      r.getMetadata().getNamespace(),
                      r.getMetadata().getName(),
                      revision,
                      attempt));
      for (String p : problems) {
        events.record(r, true, "NotificationProblem", p);
      }
    } catch (KubernetesClientException e) {
      LOG.warn(
          "{}/{}: notifications not offered: {}",
          r.getMetadata().getNamespace(),
          r.getMetadata().getName(),
          e.getMessage());
    }
  }

  /**
   * Looks again no later than when owed evidence results must be written, even with nothing else to
   * do.
   */
  private Duration owedFirst(Duration requeue, String namespace, String name, Instant now) {
    Instant due = evidence.owedDue(namespace, name);
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
  private Pass failed(Rollout r, ActionFailure f, RolloutStatus base, Instant now) {
    long generation = r.getMetadata().getGeneration() == null ? 0 : r.getMetadata().getGeneration();
    RolloutStatus next = f.mark(base, now, generation);
    LOG.warn("{}/{}: {}", r.getMetadata().getNamespace(), r.getMetadata().getName(), f.message());
    if (!mayAct.getAsBoolean()) {
      return notActing(r, now);
    }
    events.record(r, true, ActionFailure.TYPE, f.message());
    Duration requeue = f.retry();
    if (!Objects.equals(next, r.getStatus())) {
      try {
        if (!writeStatus(r, next)) {
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
    return new Pass(new ProcessorResult(next, requeue), r.getStatus(), List.of(), now, "failed");
  }

  /** This replica lost its lease or is shutting down: it neither records, acts nor writes. */
  private Pass notActing(Rollout r, Instant now) {
    LOG.debug(
        "{}/{}: not acting (no lease, or shutting down)",
        r.getMetadata().getNamespace(),
        r.getMetadata().getName());
    return new Pass(
        new ProcessorResult(r.getStatus(), Duration.ofSeconds(5)),
        r.getStatus(),
        List.of(),
        now,
        "not-leader");
  }

  /**
   * The decision could not be persisted, so nothing acts (evidence before action). Say so where
   * people look, in status.message (Argo CD's health message), a condition and an Event, instead of
   * a controller that silently retries while the Rollout looks stuck.
   */
  private Pass evidenceUnavailable(Rollout r, KubernetesClientException e, Instant now) {
    RolloutStatus next =
        EvidenceUnavailable.mark(r.getStatus(), e, now, r.getMetadata().getGeneration());
    LOG.warn(
        "{}/{}: {}", r.getMetadata().getNamespace(), r.getMetadata().getName(), next.message());
    if (r.getStatus() == null || !Objects.equals(next.message(), r.getStatus().message())) {
      events.record(r, true, EvidenceUnavailable.TYPE, next.message());
    }
    Duration requeue = EvidenceUnavailable.RETRY;
    if (!Objects.equals(next, r.getStatus())) {
      try {
        writeStatus(r, next);
      } catch (KubernetesClientException again) {
        LOG.debug(
            "status of {}/{} not written either: {}",
            r.getMetadata().getNamespace(),
            r.getMetadata().getName(),
            again.getMessage());
      }
    }
    return new Pass(
        new ProcessorResult(next, requeue), r.getStatus(), List.of(), now, "evidence-unavailable");
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
      LOG.debug(
          "{}/{}: status written: {} -> {}",
          r.getMetadata().getNamespace(),
          r.getMetadata().getName(),
          r.getStatus(),
          next);
      if (r.getMetadata().getUid() != null) {
        supersededByOurWrite.put(r.getMetadata().getUid(), r.getMetadata().getResourceVersion());
      }
      return true;
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) throw e;
      LOG.debug(
          "status of {}/{} changed under us; retrying on fresh data",
          r.getMetadata().getNamespace(),
          r.getMetadata().getName());
      return false;
    }
  }

  /**
   * The current attempt's evidence head in status: a second copy, outside the record, so that a
   * record deleted and recreated shorter is noticed (`kubectl slipway evidence verify --rollout`).
   */
  private RolloutStatus anchored(Rollout r, RolloutStatus s) {
    String revision = s.canaryRevision() != null ? s.canaryRevision() : s.stableRevision();
    if (revision == null) return s;
    String head =
        evidence.head(
            r.getMetadata().getNamespace(),
            r.getMetadata().getName(),
            revision,
            s.attempt() == null ? 1 : s.attempt());
    if (head == null || head.equals(s.evidenceHead())) return s;
    RolloutStatus.Builder b = s.toBuilder();
    b.evidenceHead = head;
    return b.build();
  }

  private static RolloutStatus withMessage(RolloutStatus s, String message) {
    RolloutStatus.Builder b = s.toBuilder();
    b.message = message;
    return b.build();
  }

  /**
   * What one pass produced: the status written (or kept) and when to look again (null: on events
   * only).
   */
  public record ProcessorResult(RolloutStatus status, Duration requeueAfter) {}

  public RolloutProcessor(
      KubernetesClient client,
      ReplicaSets replicaSets,
      ObservationReader reader,
      ActionExecutor executor,
      EventRecorder events,
      Evidence evidence,
      AnalysisRunner analysis,
      RolloutMetrics metrics,
      Clock clock) {
    this(
        client,
        replicaSets,
        reader,
        executor,
        events,
        evidence,
        analysis,
        metrics,
        clock,
        () -> true);
  }

  /**
   * @param mayAct whether this replica may act now (it leads, and is not shutting down)
   */
  public RolloutProcessor(
      KubernetesClient client,
      ReplicaSets replicaSets,
      ObservationReader reader,
      ActionExecutor executor,
      EventRecorder events,
      Evidence evidence,
      AnalysisRunner analysis,
      RolloutMetrics metrics,
      Clock clock,
      BooleanSupplier mayAct) {
    this.mayAct = mayAct;
    this.peers =
        r ->
            client
                .resources(Rollout.class)
                .inNamespace(r.getMetadata().getNamespace())
                .list()
                .getItems();
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
