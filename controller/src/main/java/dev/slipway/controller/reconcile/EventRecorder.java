package dev.slipway.controller.reconcile;

import dev.slipway.api.v1alpha1.Rollout;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Kubernetes Events for transitions and manual actions; a failed Event never fails a reconcile. */
public final class EventRecorder {
  private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);
  private final KubernetesClient client;
  private final Clock clock;
  private final AtomicLong seq = new AtomicLong();

  public EventRecorder(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  public void record(Rollout r, boolean warning, String reason, String message) {
    Instant now = clock.instant();
    String name = r.getMetadata().getName() + "." + Long.toHexString(now.toEpochMilli()) + Long.toHexString(seq.incrementAndGet());
    Event e = new EventBuilder()
        .withNewMetadata().withName(name).withNamespace(r.getMetadata().getNamespace()).endMetadata()
        .withNewInvolvedObject()
          .withApiVersion(r.getApiVersion()).withKind(r.getKind()).withName(r.getMetadata().getName())
          .withNamespace(r.getMetadata().getNamespace()).withUid(r.getMetadata().getUid())
          .withResourceVersion(r.getMetadata().getResourceVersion())
        .endInvolvedObject()
        .withType(warning ? "Warning" : "Normal")
        .withReason(reason)
        .withMessage(message.length() > 1024 ? message.substring(0, 1021) + "..." : message)
        .withFirstTimestamp(now.toString())
        .withLastTimestamp(now.toString())
        .withCount(1)
        .withNewSource().withComponent(Labels.FIELD_MANAGER).endSource()
        .build();
    try {
      client.v1().events().inNamespace(r.getMetadata().getNamespace()).resource(e).create();
    } catch (RuntimeException ex) {
      LOG.warn("could not record event {} for {}/{}: {}", reason, r.getMetadata().getNamespace(), r.getMetadata().getName(), ex.getMessage());
    }
  }
}
