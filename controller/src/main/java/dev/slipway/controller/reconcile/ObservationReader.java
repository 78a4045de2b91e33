package dev.slipway.controller.reconcile;

import dev.slipway.api.v1alpha1.ManualRequest;
import dev.slipway.api.v1alpha1.RequestAction;
import dev.slipway.api.v1alpha1.RevisionState;
import dev.slipway.api.v1alpha1.Rollout;
import dev.slipway.controller.analysis.AnalysisRunner;
import dev.slipway.controller.core.Claims;
import dev.slipway.controller.core.DaemonSetView;
import dev.slipway.controller.core.ImageVerdict;
import dev.slipway.controller.core.ManualAction;
import dev.slipway.controller.core.NodeWalk;
import dev.slipway.controller.core.Observations;
import dev.slipway.controller.core.PodView;
import dev.slipway.controller.core.ReplicaSetView;
import dev.slipway.controller.core.ServicesView;
import dev.slipway.controller.core.TrafficView;
import dev.slipway.controller.core.WorkloadView;
import dev.slipway.controller.kube.ClusterReads;
import dev.slipway.controller.kube.FieldOwners;
import dev.slipway.controller.kube.Labels;
import dev.slipway.controller.supply.ImagePolicyCheck;
import dev.slipway.controller.traffic.TrafficRouter;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Gathers what the decision core needs from the cluster. Reads only. */
public final class ObservationReader {
  private final ClusterReads reads;
  private final TrafficRouter router;
  private final AnalysisRunner analysis;

  public ObservationReader(KubernetesClient client, TrafficRouter router, AnalysisRunner analysis) {
    this(ClusterReads.direct(client), router, analysis);
  }

  public ObservationReader(ClusterReads reads, TrafficRouter router, AnalysisRunner analysis) {
    this.reads = reads;
    this.router = router;
    this.analysis = analysis;
  }

  private volatile Approvals approvals = Approvals.NONE;
  private volatile ImagePolicyCheck images;

  /** Where spec.imagePolicy is checked (without it, a Rollout with a policy is held, saying so). */
  public ObservationReader checkingImagesWith(ImagePolicyCheck check) {
    this.images = check;
    return this;
  }

  /**
   * Where the author of a change and the binding of requestedBy come from (none known without it).
   */
  public ObservationReader approvingWith(Approvals a) {
    this.approvals = a;
    return this;
  }

  public Observations read(Rollout r, String desiredRevision, Map<String, ReplicaSet> owned) {
    return read(r, desiredRevision, owned, List.of());
  }

  /**
   * Reads what the decision core needs to see for this Rollout and revision.
   *
   * @param peers the other Rollouts that may name the same Services or route rules (for claims)
   */
  public Observations read(
      Rollout r, String desiredRevision, Map<String, ReplicaSet> owned, List<Rollout> peers) {
    return read(r, desiredRevision, owned, peers, workloadObject(r));
  }

  /**
   * The same, with the Deployment spec.workloadRef names already read this pass ({@link
   * #workloadObject}), so that the template it lends and the adoption it is judged for come from
   * one read.
   */
  public Observations read(
      Rollout r,
      String desiredRevision,
      Map<String, ReplicaSet> owned,
      List<Rollout> peers,
      HasMetadata workload) {
    if (workload instanceof StatefulSet sts) {
      return inPlace(r, desiredRevision, peers, sts);
    }
    if (workload instanceof DaemonSet ds) {
      return nodeByNode(r, desiredRevision, peers, ds);
    }
    Deployment deployment = workload instanceof Deployment d ? d : null;
    Map<String, ReplicaSetView> views = new HashMap<>();
    owned.forEach(
        (rev, rs) ->
            views.put(
                rev,
                new ReplicaSetView(
                    rev,
                    rs.getSpec().getReplicas() == null ? 0 : rs.getSpec().getReplicas(),
                    rs.getStatus() == null || rs.getStatus().getReadyReplicas() == null
                        ? 0
                        : rs.getStatus().getReadyReplicas())));
    return observations(
        r,
        desiredRevision,
        views,
        peers,
        restarting(r) ? pods(r) : null,
        workload(r, deployment, peers));
  }

  /** The rest of what a pass sees, the same for every kind of workload. */
  private Observations observations(
      Rollout r,
      String desiredRevision,
      Map<String, ReplicaSetView> views,
      List<Rollout> peers,
      List<PodView> pods,
      WorkloadView workload) {
    TrafficView traffic = routed(r) ? router.observe(r) : null;
    String canary = r.getStatus() == null ? null : r.getStatus().canaryRevision();
    return new Observations(
        r.getMetadata().getGeneration() == null ? 0 : r.getMetadata().getGeneration(),
        desiredRevision,
        views,
        traffic,
        canary == null ? Map.of() : analysis.results(r, canary),
        request(r, approvals),
        services(r),
        Claims.conflict(r, peers),
        pods,
        workload,
        analysis.powerPlan(r, canary != null ? canary : desiredRevision),
        images(r, desiredRevision));
  }

  /**
   * A StatefulSet walked in place: its pods, grouped by the revision they run
   * (controller-revision-hash), stand for the ReplicaSets of a canary. The desired revision is its
   * update revision, unless that is the stable template a rollback wrote back (see NodeWalk).
   */
  private Observations inPlace(
      Rollout r, String updateRevision, List<Rollout> peers, StatefulSet sts) {
    String desiredRevision =
        StatefulSets.updateRevision(sts) == null
            ? updateRevision
            : NodeWalk.desiredRevision(r.getStatus(), updateRevision);
    List<Pod> pods = StatefulSets.pods(reads, sts);
    List<PodView> podViews = podViews(pods, Labels.CONTROLLER_REVISION_HASH);
    Map<String, ReplicaSetView> views = new HashMap<>();
    for (PodView p : podViews) {
      ReplicaSetView v = views.getOrDefault(p.revision(), new ReplicaSetView(p.revision(), 0, 0));
      views.put(
          p.revision(),
          new ReplicaSetView(
              p.revision(), v.replicas() + 1, v.readyReplicas() + (p.ready() ? 1 : 0)));
    }
    String refusal =
        StatefulSets.refusal(
            r,
            sts,
            Claims.workloadClaim(r, peers),
            unselected(
                r,
                sts.getSpec() == null ? null : sts.getSpec().getTemplate(),
                "StatefulSet "
                    + r.getMetadata().getNamespace()
                    + "/"
                    + sts.getMetadata().getName()));
    return observations(
        r,
        desiredRevision,
        views,
        peers,
        restarting(r) ? podViews : null,
        new WorkloadView(
            sts.getMetadata().getName(),
            true,
            StatefulSets.replicas(sts),
            refusal,
            StatefulSets.view(
                sts,
                podViews,
                StatefulSets.revisionsIfDrifted(
                    reads, sts, r.getStatus() == null ? null : r.getStatus().stableRevision()))));
  }

  /**
   * A DaemonSet walked node by node: the pods on its Ready nodes, grouped by the revision they run
   * (controller-revision-hash), stand for the ReplicaSets of a canary; pods on nodes not Ready are
   * neither counted nor waited for. The desired revision is named here, from the
   * ControllerRevisions read once: the template's, unless it is the stable template a rollback
   * wrote back (see NodeWalk); {@code templateHash} stands until its controller has made one (the
   * pass then refuses to act, and says why).
   */
  private Observations nodeByNode(
      Rollout r, String templateHash, List<Rollout> peers, DaemonSet ds) {
    List<ControllerRevision> revisions = DaemonSets.revisions(reads, ds);
    String template = DaemonSets.templateRevision(ds, revisions);
    String desiredRevision =
        template == null || templateHash.isEmpty()
            ? templateHash
            : NodeWalk.desiredRevision(r.getStatus(), template);
    List<Pod> pods = DaemonSets.pods(reads, ds);
    List<PodView> podViews = podViews(pods, Labels.CONTROLLER_REVISION_HASH);
    Map<String, PodView> byName = new HashMap<>();
    for (PodView p : podViews) byName.put(p.name(), p);
    DaemonSetView view = DaemonSets.view(ds, template, revisions, pods, byName, reads.nodes());
    Map<String, ReplicaSetView> views = new HashMap<>();
    for (DaemonSetView.NodeSlot n : view.readyNodes()) {
      PodView p = n.live();
      if (p == null) continue;
      ReplicaSetView v = views.getOrDefault(p.revision(), new ReplicaSetView(p.revision(), 0, 0));
      views.put(
          p.revision(),
          new ReplicaSetView(
              p.revision(), v.replicas() + 1, v.readyReplicas() + (p.ready() ? 1 : 0)));
    }
    String refusal =
        DaemonSets.refusal(
            r,
            ds,
            template,
            Claims.workloadClaim(r, peers),
            unselected(
                r,
                ds.getSpec() == null ? null : ds.getSpec().getTemplate(),
                "DaemonSet " + r.getMetadata().getNamespace() + "/" + ds.getMetadata().getName()));
    return observations(
        r,
        desiredRevision,
        views,
        peers,
        // A restart leaves nodes not Ready alone too.
        restarting(r) ? view.readyNodes().stream().flatMap(n -> n.pods().stream()).toList() : null,
        new WorkloadView(
            ds.getMetadata().getName(), true, view.readyNodes().size(), refusal, null, view));
  }

  /** A deleted Rollout: what memory holds for it goes. */
  public void forget(String uid) {
    if (images != null) images.forget(uid);
  }

  /**
   * The desired revision's images against the policies that bind it (spec.imagePolicy and the
   * platform's for its namespace); null when none binds, or when the revision is already past the
   * gate (it walks, or is stable): the core asks only before any pod of a revision runs, so a
   * registry is never asked for a revision that already runs.
   */
  ImageVerdict images(Rollout r, String desiredRevision) {
    if (r.getSpec() == null) return null;
    var s = r.getStatus();
    if (s != null
        && s.state() != null
        && s.state() != RevisionState.Pending
        && s.state() != RevisionState.RolledBack
        && (desiredRevision.equals(s.stableRevision())
            || desiredRevision.equals(s.canaryRevision()))) {
      return null;
    }
    if (images == null) {
      if (r.getSpec().imagePolicy() == null) return null;
      return new ImageVerdict(
          ImageVerdict.Status.Unavailable,
          "this controller has no image verifier configured",
          List.of());
    }
    return images.verdict(r, desiredRevision);
  }

  /**
   * The annotation by which a Deployment's owner lets one Rollout (named in its value) adopt it.
   */
  public static final String ADOPT_BY = "slipway.dev/adopt-by";

  /** The Deployment spec.workloadRef names, while it is set, and whether it may be adopted. */
  WorkloadView workload(Rollout r, List<Rollout> peers) {
    return workload(r, workloadObject(r) instanceof Deployment d ? d : null, peers);
  }

  /**
   * The Deployment or StatefulSet spec.workloadRef names, or null (none named, or it does not
   * exist).
   */
  public HasMetadata workloadObject(Rollout r) {
    var ref = r.getSpec() == null ? null : r.getSpec().workloadRef();
    if (ref == null) return null;
    String ns = r.getMetadata().getNamespace();
    if (ref.daemonSet()) return reads.daemonSet(ns, ref.name());
    return ref.statefulSet() ? reads.statefulSet(ns, ref.name()) : reads.deployment(ns, ref.name());
  }

  private WorkloadView workload(Rollout r, Deployment dep, List<Rollout> peers) {
    var ref = r.getSpec() == null ? null : r.getSpec().workloadRef();
    if (ref == null) {
      return null;
    }
    if (dep == null || ref.inPlace()) {
      return new WorkloadView(ref.name(), false, 0);
    }
    Integer n = dep.getSpec() == null ? null : dep.getSpec().getReplicas();
    return new WorkloadView(ref.name(), true, n == null ? 1 : n, adoptionRefusal(r, dep, peers));
  }

  /**
   * Why the Deployment may not be adopted, or null: whoever owns it consents by naming the Rollout
   * (creating a Rollout must not be a way to scale someone else's Deployment), no older Rollout
   * names it, and the Rollout's Services select its pods (else adoption would move their traffic
   * onto pods that never served it).
   */
  private String adoptionRefusal(Rollout r, Deployment dep, List<Rollout> peers) {
    String ns = r.getMetadata().getNamespace();
    String name = r.getMetadata().getName();
    String consent =
        dep.getMetadata().getAnnotations() == null
            ? null
            : dep.getMetadata().getAnnotations().get(ADOPT_BY);
    String d = "Deployment " + ns + "/" + dep.getMetadata().getName();
    String claim = Claims.workloadClaim(r, peers);
    if (claim != null) {
      return claim;
    }
    if (!name.equals(consent)) {
      return d
          + " has not consented to adoption: whoever owns it annotates it "
          + ADOPT_BY
          + "="
          + name
          + (consent == null ? "" : " (it names " + consent + ")")
          + "; it is left untouched";
    }
    return unselected(r, dep.getSpec() == null ? null : dep.getSpec().getTemplate(), d);
  }

  /**
   * Why the stable Service does not select the pods of this template (a workload's), or null:
   * taking the workload over would move traffic onto pods that never served it. The revision label
   * Slipway adds to the selector does not count.
   */
  private String unselected(Rollout r, PodTemplateSpec template, String workload) {
    String ns = r.getMetadata().getNamespace();
    Map<String, String> podLabels =
        template == null
                || template.getMetadata() == null
                || template.getMetadata().getLabels() == null
            ? Map.of()
            : template.getMetadata().getLabels();
    var c = r.getSpec().strategy() == null ? null : r.getSpec().strategy().plan();
    if (c == null || c.stableService() == null) return null;
    Service svc = reads.service(ns, c.stableService());
    if (svc == null || svc.getSpec() == null) return null;
    Map<String, String> selector =
        new HashMap<>(svc.getSpec().getSelector() == null ? Map.of() : svc.getSpec().getSelector());
    selector.remove(Labels.revision(r));
    if (!selector.isEmpty()
        && selector.entrySet().stream()
            .allMatch(e -> e.getValue().equals(podLabels.get(e.getKey())))) {
      return null;
    }
    return "Service "
        + ns
        + "/"
        + c.stableService()
        + " does not select "
        + workload
        + "'s pods (selector "
        + new TreeMap<>(selector)
        + ", pod labels "
        + new TreeMap<>(podLabels)
        + "): taking it over would move traffic that never reached them; it is left untouched";
  }

  /** A restart asked for or under way: only then are pods read. */
  static boolean restarting(Rollout r) {
    var st = r.getStatus();
    return st != null
        && (st.restartAt() != null
            || (st.request() != null && st.request().action() == RequestAction.Restart));
  }

  List<PodView> pods(Rollout r) {
    return podViews(reads.pods(r), Labels.POD_TEMPLATE_HASH);
  }

  /** The pods as the core sees them, each with the revision its {@code label} names. */
  static List<PodView> podViews(List<Pod> pods, String label) {
    List<PodView> out = new ArrayList<>();
    for (Pod p : pods) {
      var m = p.getMetadata();
      String rev = m.getLabels() == null ? null : m.getLabels().get(label);
      if (rev == null || m.getCreationTimestamp() == null) continue;
      boolean ready =
          p.getStatus() != null
              && p.getStatus().getConditions() != null
              && p.getStatus().getConditions().stream()
                  .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
      out.add(
          new PodView(
              m.getName(),
              m.getUid(),
              rev,
              Instant.parse(m.getCreationTimestamp()),
              ready,
              m.getDeletionTimestamp() != null));
    }
    return out;
  }

  /** Which revision the stable and canary Services select, and which do not exist. */
  ServicesView services(Rollout r) {
    var spec = r.getSpec();
    var c = spec == null || spec.strategy() == null ? null : spec.strategy().plan();
    if (c == null || c.stableService() == null || c.canaryService() == null) {
      return null;
    }
    Map<String, String> selects = new HashMap<>();
    Map<String, String> versions = new HashMap<>();
    Set<String> foreign = new HashSet<>();
    Set<String> unlabeled = new HashSet<>();
    List<String> missing = new ArrayList<>();
    for (String name : new LinkedHashSet<>(List.of(c.stableService(), c.canaryService()))) {
      Service svc = reads.service(r.getMetadata().getNamespace(), name);
      if (svc == null) {
        missing.add(r.getMetadata().getNamespace() + "/" + name);
        continue;
      }
      Map<String, String> sel =
          svc.getSpec() == null || svc.getSpec().getSelector() == null
              ? Map.of()
              : svc.getSpec().getSelector();
      selects.put(name, sel.getOrDefault(Labels.revision(r), ""));
      versions.put(name, svc.getMetadata().getResourceVersion());
      if (FieldOwners.foreign(svc, "f:spec", "f:selector")) {
        foreign.add(name);
      }
      if (!ServiceSelectors.labelled(svc, r)) {
        unlabeled.add(name);
      }
    }
    return new ServicesView(selects, missing, versions, foreign, unlabeled);
  }

  static boolean routed(Rollout r) {
    var spec = r.getSpec();
    var c = spec == null || spec.strategy() == null ? null : spec.strategy().plan();
    return c != null
        && c.trafficRouting() != null
        && c.trafficRouting().gatewayAPI() != null
        && (!c.trafficRouting().gatewayAPI().httpRoutesOrEmpty().isEmpty()
            || !c.trafficRouting().gatewayAPI().grpcRoutesOrEmpty().isEmpty());
  }

  /**
   * The pending manual request, with the field manager and time that wrote it, the change's author
   * as recorded when its attempt opened, and whether requestedBy is bound to the caller.
   */
  static ManualAction request(Rollout r, Approvals approvals) {
    ManualRequest req = r.getStatus() == null ? null : r.getStatus().request();
    if (req == null || req.action() == null) {
      return null;
    }
    ManagedFieldsEntry writer = null;
    if (r.getMetadata().getManagedFields() != null) {
      for (ManagedFieldsEntry m : r.getMetadata().getManagedFields()) {
        if (writesRequest(m) && (writer == null || later(m, writer))) {
          writer = m;
        }
      }
    }
    return new ManualAction(
        req.action(),
        req.requestedBy(),
        writer == null ? null : writer.getManager(),
        writer == null ? null : writer.getTime(),
        approvals.author(r),
        approvals.requestedByBound(r.getMetadata().getNamespace()));
  }

  @SuppressWarnings("unchecked")
  private static boolean writesRequest(ManagedFieldsEntry m) {
    if (m.getFieldsV1() == null || m.getFieldsV1().getAdditionalProperties() == null) {
      return false;
    }
    Object status = m.getFieldsV1().getAdditionalProperties().get("f:status");
    return status instanceof Map<?, ?> s && s.containsKey("f:request");
  }

  private static boolean later(ManagedFieldsEntry a, ManagedFieldsEntry b) {
    return a.getTime() != null && (b.getTime() == null || a.getTime().compareTo(b.getTime()) > 0);
  }
}
