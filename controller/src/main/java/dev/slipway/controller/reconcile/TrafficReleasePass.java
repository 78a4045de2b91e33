package dev.slipway.controller.reconcile;

import dev.slipway.api.v1alpha1.Rollout;
import dev.slipway.api.v1alpha1.RolloutStatus;
import dev.slipway.controller.core.Decision;
import dev.slipway.controller.evidence.EntryDraft;
import dev.slipway.controller.evidence.Evidence;
import dev.slipway.controller.evidence.PassContext;
import dev.slipway.controller.evidence.Targeted;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pass of a Rollout being deleted while its finalizer holds it: record the decision, send all
 * traffic to stable and take our selector key off the Services, record what was done, then let the
 * deletion finish. Anything that fails keeps the finalizer and is tried again.
 */
final class TrafficReleasePass {
  private static final Logger LOG = LoggerFactory.getLogger(TrafficReleasePass.class);

  private final KubernetesClient client;
  private final TrafficRelease release;
  private final Evidence evidence;
  private final EventRecorder events;

  TrafficReleasePass(
      KubernetesClient client, TrafficRelease release, Evidence evidence, EventRecorder events) {
    this.client = client;
    this.release = release;
    this.evidence = evidence;
    this.events = events;
  }

  PassOutcome run(Rollout r, Instant now) {
    RolloutStatus st = r.getStatus() == null ? RolloutStatus.empty() : r.getStatus();
    String revision = st.canaryRevision() != null ? st.canaryRevision() : st.stableRevision();
    int attempt = st.attempt() == null ? 1 : st.attempt();
    PassContext pass = PassContext.of(r, st, null, new Decision(st, List.of(), null), now);
    String uid = r.getMetadata().getUid();
    // A namespace being deleted takes its records with it, and refuses new ones: record nothing
    // there, or the deletion of the namespace would wait forever on this finalizer.
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
          record(
              r,
              pass,
              entry(
                  revision,
                  attempt,
                  "deleted/" + uid,
                  "RolloutDeleted",
                  EntryDraft.DECISION,
                  st,
                  now,
                  decided));
    }
    TrafficRelease.Released done = release.release(r);
    if (!done.problems().isEmpty()) {
      String msg = "deleting: traffic not released yet: " + String.join("; ", done.problems());
      LOG.warn("{}/{}: {}", r.getMetadata().getNamespace(), r.getMetadata().getName(), msg);
      events.record(r, true, "ReleaseProblem", msg);
      return PassOutcome.retry(st, Duration.ofSeconds(5), now, "problem");
    }
    if (recording) {
      Map<String, Object> result = new LinkedHashMap<>();
      result.put("done", done.done());
      record(
          r,
          pass,
          entry(
              revision,
              attempt,
              "deleted/" + uid + "/result",
              "TrafficReleased",
              EntryDraft.RESULT,
              st,
              now,
              result));
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
      return PassOutcome.retry(st, RolloutProcessor.CONFLICT_RETRY, now, "conflict");
    }
    return PassOutcome.gone(st, now, "released");
  }

  private static Targeted entry(
      String revision,
      int attempt,
      String key,
      String kind,
      String phase,
      RolloutStatus st,
      Instant now,
      Map<String, Object> data) {
    return new Targeted(
        revision,
        attempt,
        new EntryDraft(key, kind, phase, st.currentStepIndex(), now.toString(), data));
  }

  /**
   * Records one entry of a deletion. A passing failure is thrown, so the whole deletion pass is
   * retried (every step of it is idempotent); one that will not pass is logged, and returns false:
   * it must not keep traffic on pods about to go.
   */
  private boolean record(Rollout r, PassContext pass, Targeted entry) {
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
}
