package dev.slipway.controller.fleet;

import dev.slipway.api.v1alpha1.ClusterSelection;
import dev.slipway.api.v1alpha1.PauseReason;
import dev.slipway.api.v1alpha1.Release;
import dev.slipway.api.v1alpha1.RevisionState;
import dev.slipway.api.v1alpha1.Rollout;
import dev.slipway.api.v1alpha1.RolloutRecord;
import dev.slipway.api.v1alpha1.RolloutSelection;
import dev.slipway.api.v1alpha1.RolloutStatus;
import dev.slipway.api.v1alpha1.Wave;
import dev.slipway.controller.core.fleet.MemberView;
import dev.slipway.controller.core.fleet.WaveView;
import dev.slipway.controller.evidence.LedgerVerifier;
import dev.slipway.controller.evidence.RecordStore;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * What each wave's member Rollouts show, read from their clusters: the hub's observations. Reads
 * only, and only for the open wave and those after it; a cluster that does not answer is
 * Unreachable, never a pass. Records are read and verified only for the open wave's Rollouts that
 * are Stable on the revision, and again only when their head moves.
 */
public final class MemberReads {
  private record Verified(String uid, String head, LedgerVerifier.Result result) {}

  private final Map<String, Verified> verified = new ConcurrentHashMap<>();

  public List<WaveView> read(Release release, List<MemberRegistry.Member> members, int openWave) {
    List<WaveView> views = new ArrayList<>();
    List<Wave> waves = release.getSpec().waves();
    for (int i = 0; i < waves.size(); i++) {
      Wave wave = waves.get(i);
      if (i < openWave) {
        // A passed wave shows its members as they passed (the status keeps them): no reads.
        views.add(new WaveView(wave.name(), List.of(), List.of()));
        continue;
      }
      RolloutSelection selection =
          wave.rollouts() != null ? wave.rollouts() : release.getSpec().rollouts();
      List<String> problems = new ArrayList<>();
      List<MemberView> views1 = new ArrayList<>();
      for (MemberRegistry.Member m : clusters(wave.clusters(), members, problems)) {
        views1.addAll(
            rollouts(m, selection, release.getSpec().revision().image(), i == openWave, problems));
      }
      views.add(new WaveView(wave.name(), views1, problems));
    }
    return views;
  }

  private static List<MemberRegistry.Member> clusters(
      ClusterSelection sel, List<MemberRegistry.Member> members, List<String> problems) {
    List<MemberRegistry.Member> out = new ArrayList<>();
    if (sel.names() != null) {
      for (String name : sel.names()) {
        members.stream()
            .filter(m -> m.name().equals(name))
            .findFirst()
            .ifPresentOrElse(
                out::add, () -> problems.add("no member cluster registered as " + name));
      }
    } else {
      Map<String, String> want = sel.matchLabels() == null ? Map.of() : sel.matchLabels();
      members.stream()
          .filter(m -> m.labels().entrySet().containsAll(want.entrySet()))
          .forEach(out::add);
      if (out.isEmpty()) problems.add("no registered member cluster has labels " + want);
    }
    return out;
  }

  private List<MemberView> rollouts(
      MemberRegistry.Member m,
      RolloutSelection sel,
      String image,
      boolean open,
      List<String> problems) {
    String ns = sel.namespace();
    List<String> names = sel.names() == null ? List.of("*") : sel.names();
    if (m.client() == null) {
      return names.stream().map(n -> MemberView.unreachable(m.name(), ns, n, m.problem())).toList();
    }
    List<MemberView> out = new ArrayList<>();
    try {
      var rollouts = m.client().resources(Rollout.class).inNamespace(ns);
      if (sel.names() != null) {
        for (String name : sel.names()) {
          Rollout r = rollouts.withName(name).get();
          out.add(r == null ? MemberView.missing(m.name(), ns, name) : view(m, r, image, open));
        }
      } else {
        List<Rollout> found = rollouts.withLabels(sel.matchLabels()).list().getItems();
        if (found.isEmpty()) {
          problems.add(m.name() + " has no Rollout in " + ns + " labelled " + sel.matchLabels());
        }
        for (Rollout r : found) out.add(view(m, r, image, open));
      }
    } catch (KubernetesClientException e) {
      String why = reason(e);
      return names.stream().map(n -> MemberView.unreachable(m.name(), ns, n, why)).toList();
    }
    return out;
  }

  private MemberView view(MemberRegistry.Member m, Rollout r, String image, boolean open) {
    RolloutStatus s = r.getStatus() == null ? RolloutStatus.empty() : r.getStatus();
    boolean current = Objects.equals(s.observedGeneration(), r.getMetadata().getGeneration());
    boolean onRevision = current && carries(r, image);
    RevisionState state = s.state();
    boolean gated =
        state == RevisionState.Paused
            && Integer.valueOf(0).equals(s.currentStepIndex())
            && s.pauseConditions() != null
            && s.pauseConditions().stream().anyMatch(p -> p.reason() == PauseReason.PauseStep);
    boolean inFlight =
        (state == RevisionState.Canary
                || state == RevisionState.Paused
                || state == RevisionState.Promoted)
            && !Boolean.TRUE.equals(s.abort());
    String detail = s.message();
    if (!current)
      detail = "its status is not yet for generation " + r.getMetadata().getGeneration();
    else if (r.getSpec().template() == null)
      detail = "a Rollout with workloadRef: fleet releases read the image from spec.template only";
    Boolean ok = null;
    if (open && onRevision && state == RevisionState.Stable) {
      LedgerVerifier.Result v = verify(m, r, s.evidenceHead());
      ok = v.ok();
      if (!v.ok()) detail = v.message();
    }
    return new MemberView(
        m.name(),
        r.getMetadata().getNamespace(),
        r.getMetadata().getName(),
        MemberView.Reach.READ,
        onRevision,
        state,
        gated,
        inFlight,
        s.request() != null,
        s.evidenceHead(),
        ok,
        detail);
  }

  private LedgerVerifier.Result verify(MemberRegistry.Member m, Rollout r, String head) {
    if (m.key() == null) return new LedgerVerifier.Result(false, m.problem());
    if (head == null || head.isBlank()) {
      return new LedgerVerifier.Result(false, "its status names no evidence head");
    }
    String id = m.name() + "/" + r.getMetadata().getNamespace() + "/" + r.getMetadata().getName();
    Verified known = verified.get(id);
    if (known != null
        && known.uid().equals(r.getMetadata().getUid())
        && known.head().equals(head)) {
      return known.result();
    }
    List<RolloutRecord> records =
        m.client()
            .resources(RolloutRecord.class)
            .inNamespace(r.getMetadata().getNamespace())
            .withLabel(RecordStore.ROLLOUT_UID, r.getMetadata().getUid())
            .list()
            .getItems();
    LedgerVerifier.Result result = LedgerVerifier.verify(records, m.key(), head);
    verified.put(id, new Verified(r.getMetadata().getUid(), head, result));
    return result;
  }

  /** Whether a container of its pod template runs exactly the release's image reference. */
  static boolean carries(Rollout r, String image) {
    if (r.getSpec() == null || r.getSpec().template() == null) return false;
    PodSpec pod = r.getSpec().template().getSpec();
    if (pod == null) return false;
    return Stream.concat(
            pod.getContainers() == null ? Stream.<Container>empty() : pod.getContainers().stream(),
            pod.getInitContainers() == null
                ? Stream.<Container>empty()
                : pod.getInitContainers().stream())
        .anyMatch(c -> image.equals(c.getImage()));
  }

  static String reason(KubernetesClientException e) {
    if (e.getCode() > 0) return "HTTP " + e.getCode() + ": " + e.getMessage();
    Throwable c = e;
    while (c.getCause() != null) c = c.getCause();
    return c.getClass().getSimpleName() + (c.getMessage() == null ? "" : ": " + c.getMessage());
  }
}
