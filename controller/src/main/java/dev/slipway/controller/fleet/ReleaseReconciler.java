package dev.slipway.controller.fleet;

import dev.slipway.api.v1alpha1.Release;
import dev.slipway.api.v1alpha1.ReleaseStatus;
import dev.slipway.controller.core.fleet.FleetAction;
import dev.slipway.controller.core.fleet.FleetDecision;
import dev.slipway.controller.core.fleet.FleetEvent;
import dev.slipway.controller.core.fleet.ReleaseDecider;
import dev.slipway.controller.core.fleet.WaveView;
import dev.slipway.controller.evidence.EvidenceKeys;
import dev.slipway.controller.reconcile.EventRecorder;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hub: one pass per Release reads its member clusters, decides (pure), appends what it decided
 * to its own signed record, writes the status once, pinned to the resourceVersion read, and only
 * then sends the decided requests to members (evidence before action: a request lost to a crash is
 * decided again from what the member shows, never sent twice while the member still shows it
 * pending). Runs on the leader only.
 */
public final class ReleaseReconciler implements Reconciler<Release>, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ReleaseReconciler.class);
  private final KubernetesClient client;
  private final MemberRegistry registry;
  private final MemberReads reads = new MemberReads();
  private final EventRecorder events;
  private final HubRecord record;
  private final Clock clock;

  public ReleaseReconciler(
      KubernetesClient client,
      MemberRegistry registry,
      EventRecorder events,
      HubRecord record,
      Clock clock) {
    this.client = client;
    this.registry = registry;
    this.events = events;
    this.record = record;
    this.clock = clock;
  }

  @Override
  public UpdateControl<Release> reconcile(Release r, Context<Release> context) {
    ReleaseStatus before = r.getStatus();
    String ns = r.getMetadata().getNamespace();
    String id = ns + "/" + r.getMetadata().getName();
    int open = before == null || before.waveIndex() == null ? 0 : before.waveIndex();
    List<MemberRegistry.Member> read;
    List<WaveView> views;
    try {
      read = registry.members(ns, r.getSpec().memberSelectorOrDefault());
      views = reads.read(r, read, open);
    } catch (KubernetesClientException e) {
      // The hub cannot read its own registrations (most often: no RoleBinding in this namespace).
      // Every wave holds, saying why; nothing is ever passed on it.
      read = List.of();
      String why =
          "cannot read member registrations (Secrets) in "
              + ns
              + ": "
              + MemberReads.reason(e)
              + (e.getCode() == 403
                  ? " (bind ClusterRole slipway-controller-hub-members to the hub in this namespace)"
                  : "");
      views =
          r.getSpec().waves().stream()
              .map(w -> new WaveView(w.name(), List.of(), List.of(why)))
              .toList();
    }
    List<MemberRegistry.Member> members = read;
    FleetDecision d =
        ReleaseDecider.decide(
            r.getSpec(),
            r.getMetadata().getGeneration(),
            before,
            views,
            requestMeta(r),
            clock.instant());
    // The hub's record first: what the status is about to report (a wave passed, on which member
    // heads; a halt) is on record before anyone can read it, or act on it.
    record.append(
        r,
        d.notes(),
        cluster ->
            members.stream()
                .filter(m -> m.name().equals(cluster) && m.key() != null)
                .map(m -> EvidenceKeys.keyId(m.key()))
                .findFirst()
                .orElse(null));
    if (!Objects.equals(d.status(), before)) {
      Release next = new Release();
      next.setMetadata(
          new ObjectMetaBuilder()
              .withName(r.getMetadata().getName())
              .withNamespace(ns)
              .withResourceVersion(r.getMetadata().getResourceVersion())
              .build());
      next.setSpec(r.getSpec());
      next.setStatus(d.status());
      // A 409 (someone wrote since the read: a request) fails the pass; JOSDK runs it again.
      client.resources(Release.class).inNamespace(ns).resource(next).updateStatus();
    }
    for (FleetEvent e : d.events()) {
      events.record(r, e.warning(), e.reason(), e.message());
      LOG.info("release {}: {}", id, e);
    }
    for (FleetAction a : d.actions()) {
      send(r, members, a);
    }
    if (d.recheck() == null) return UpdateControl.noUpdate();
    return UpdateControl.<Release>noUpdate().rescheduleAfter(d.recheck());
  }

  private void send(Release r, List<MemberRegistry.Member> members, FleetAction a) {
    MemberRegistry.Member m =
        members.stream().filter(x -> x.name().equals(a.cluster())).findFirst().orElse(null);
    String what =
        (a instanceof FleetAction.Resume ? "Resume" : "Abort")
            + " to "
            + a.cluster()
            + ":"
            + a.namespace()
            + "/"
            + a.rollout();
    if (m == null || m.client() == null) return;
    try {
      MemberRequests.send(m.client(), a);
      events.record(r, a instanceof FleetAction.Abort, "MemberRequest", what + " sent");
    } catch (KubernetesClientException e) {
      // Decided again next pass from what the member shows.
      events.record(r, true, "MemberRequestFailed", what + ": " + MemberReads.reason(e));
    }
  }

  /** Who wrote status.request, from managedFields. */
  @SuppressWarnings("unchecked")
  static ReleaseDecider.RequestMeta requestMeta(Release r) {
    if (r.getStatus() == null || r.getStatus().request() == null) return null;
    ManagedFieldsEntry writer = null;
    for (ManagedFieldsEntry m :
        r.getMetadata().getManagedFields() == null
            ? List.<ManagedFieldsEntry>of()
            : r.getMetadata().getManagedFields()) {
      Object status =
          m.getFieldsV1() == null || m.getFieldsV1().getAdditionalProperties() == null
              ? null
              : m.getFieldsV1().getAdditionalProperties().get("f:status");
      if (status instanceof Map<?, ?> s && s.containsKey("f:request")) {
        if (writer == null
            || (m.getTime() != null
                && (writer.getTime() == null || m.getTime().compareTo(writer.getTime()) > 0))) {
          writer = m;
        }
      }
    }
    return writer == null
        ? new ReleaseDecider.RequestMeta(null, null)
        : new ReleaseDecider.RequestMeta(writer.getManager(), writer.getTime());
  }

  @Override
  public void close() {
    registry.close();
  }
}
