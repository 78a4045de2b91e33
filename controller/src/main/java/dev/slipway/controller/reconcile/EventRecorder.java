package dev.slipway.controller.reconcile;

import dev.slipway.controller.kube.Labels;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kubernetes Events for transitions, manual actions and problems; a failed Event never fails a
 * reconcile. The same reason and message for the same Rollout within {@link #SERIES_WINDOW_MS} is
 * one Event whose count and lastTimestamp grow (as client-go's correlator does), so a problem
 * retried every few seconds never floods the namespace.
 */
public final class EventRecorder {
  private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);
  static final long SERIES_WINDOW_MS = 10 * 60_000;
  private static final int REMEMBERED = 4096;
  private final KubernetesClient client;
  private final Clock clock;
  private final AtomicLong seq = new AtomicLong();

  /** An Event already written: its name, how often it happened, and when first. */
  private record Series(String name, int count, Instant first, Instant last) {}

  private final Map<String, Series> series =
      new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Series> eldest) {
          return size() > REMEMBERED;
        }
      };

  public EventRecorder(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  public void record(HasMetadata r, boolean warning, String reason, String message) {
    Instant now = clock.instant();
    String text = message.length() > 1024 ? message.substring(0, 1021) + "..." : message;
    String key = r.getMetadata().getUid() + "\u0000" + reason + "\u0000" + text;
    Series known;
    synchronized (series) {
      known = series.get(key);
    }
    try {
      if (known != null
          && now.toEpochMilli() - known.last().toEpochMilli() < SERIES_WINDOW_MS
          && bump(r, key, known, now)) {
        return;
      }
      String name =
          r.getMetadata().getName()
              + "."
              + Long.toHexString(now.toEpochMilli())
              + Long.toHexString(seq.incrementAndGet());
      Event e =
          new EventBuilder()
              .withNewMetadata()
              .withName(name)
              .withNamespace(r.getMetadata().getNamespace())
              .endMetadata()
              .withNewInvolvedObject()
              .withApiVersion(r.getApiVersion())
              .withKind(r.getKind())
              .withName(r.getMetadata().getName())
              .withNamespace(r.getMetadata().getNamespace())
              .withUid(r.getMetadata().getUid())
              .withResourceVersion(r.getMetadata().getResourceVersion())
              .endInvolvedObject()
              .withType(warning ? "Warning" : "Normal")
              .withReason(reason)
              .withMessage(text)
              .withFirstTimestamp(now.toString())
              .withLastTimestamp(now.toString())
              .withCount(1)
              .withNewSource()
              .withComponent(Labels.FIELD_MANAGER)
              .endSource()
              .build();
      client.v1().events().inNamespace(r.getMetadata().getNamespace()).resource(e).create();
      synchronized (series) {
        series.put(key, new Series(name, 1, now, now));
      }
    } catch (RuntimeException ex) {
      LOG.warn(
          "could not record event {} for {}/{}: {}",
          reason,
          r.getMetadata().getNamespace(),
          r.getMetadata().getName(),
          ex.getMessage());
    }
  }

  /**
   * One more of an Event already written; false when it is gone (expired), so a new one is made.
   */
  private boolean bump(HasMetadata r, String key, Series s, Instant now) {
    try {
      // A merge patch of count and lastTimestamp: no read first, and the only verbs needed are
      // create and patch.
      client
          .v1()
          .events()
          .inNamespace(r.getMetadata().getNamespace())
          .withName(s.name())
          .patch(
              PatchContext.of(PatchType.JSON_MERGE),
              "{\"count\":" + (s.count() + 1) + ",\"lastTimestamp\":\"" + now + "\"}");
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404) {
        return false;
      }
      throw e;
    }
    synchronized (series) {
      series.put(key, new Series(s.name(), s.count() + 1, s.first(), now));
    }
    return true;
  }

  /** Forget the series of a deleted Rollout. */
  public void forget(String uid) {
    synchronized (series) {
      series.keySet().removeIf(k -> k.startsWith(uid + "\u0000"));
    }
  }
}
