package dev.slipway.controller.reconcile;

import dev.slipway.api.v1alpha1.Rollout;
import dev.slipway.api.v1alpha1.RolloutStatus;
import dev.slipway.controller.evidence.Evidence;
import dev.slipway.controller.evidence.PassContext;
import dev.slipway.controller.evidence.Targeted;
import dev.slipway.controller.notify.Notifier;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A pass's two notification steps: record the deliveries that finished since the last pass (with
 * the decision, before any action), and offer the sinks what the attempt's record now owes them.
 * Without a notifier both do nothing.
 */
final class PassNotifications {
  private static final Logger LOG = LoggerFactory.getLogger(PassNotifications.class);

  private final Notifier notifier;
  private final Evidence evidence;
  private final EventRecorder events;

  PassNotifications(Notifier notifier, Evidence evidence, EventRecorder events) {
    this.notifier = notifier;
    this.evidence = evidence;
    this.events = events;
  }

  Notifier notifier() {
    return notifier;
  }

  /** Records the finished deliveries in the attempt's record; throws if it cannot. */
  void recordDelivered(PassContext pass, String namespace, String name) {
    if (notifier == null) return;
    List<Targeted> delivered = notifier.finished(namespace, name);
    if (!delivered.isEmpty()) {
      evidence.record(pass, delivered);
      notifier.recorded(namespace, name, delivered);
    }
  }

  /** Starts the deliveries the current attempt's record owes to the sinks the Rollout opts into. */
  void offer(Rollout r, RolloutStatus next) {
    if (notifier == null) return;
    String revision = next.canaryRevision() != null ? next.canaryRevision() : next.stableRevision();
    int attempt = next.attempt() == null ? 1 : next.attempt();
    try {
      List<String> problems =
          notifier.offer(
              r,
              revision,
              attempt,
              () ->
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

  void forget(String namespace, String name) {
    if (notifier != null) notifier.forget(namespace, name);
  }
}
