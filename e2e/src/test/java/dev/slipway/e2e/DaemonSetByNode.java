package dev.slipway.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.api.v1alpha1.CanaryStep;
import dev.slipway.api.v1alpha1.RecordEntry;
import dev.slipway.api.v1alpha1.RevisionState;
import dev.slipway.api.v1alpha1.RolloutSpec;
import dev.slipway.api.v1alpha1.RolloutStatus;
import dev.slipway.api.v1alpha1.SetCanaryScale;
import dev.slipway.api.v1alpha1.WorkloadRef;
import dev.slipway.controller.reconcile.ClusterFixture;
import dev.slipway.e2e.cluster.Cluster;
import dev.slipway.e2e.cluster.Kwok;
import dev.slipway.e2e.tools.Await;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.api.model.NodeStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * Issue 29, a DaemonSet on several nodes: four KWOK nodes (the real kube-controller-manager's
 * DaemonSet controller and scheduler make its pods, KWOK runs them), one of them made not Ready. A
 * new template walks one node, then half, then all the Ready ones, each step a pause resumed as a
 * person would; the node not Ready is skipped and named, its pod never touched. The next template
 * is aborted after its first step: the DaemonSet gets the stable template back, that one node's pod
 * is replaced onto it, no other pod restarts, and the evidence names the node and verifies. Run by
 * ControllerE2ETest, whose controller runs under the shipped RBAC.
 */
final class DaemonSetByNode {
  static final String LABEL = "slipway-e2e-daemonset";
  static final List<String> NODES = List.of("ds-node-0", "ds-node-1", "ds-node-2", "ds-node-3");
  static final String NOT_READY = "ds-node-3";

  private final Cluster cp;
  private final ClusterFixture f;

  DaemonSetByNode(Cluster cp, ClusterFixture f) {
    this.cp = cp;
    this.f = f;
  }

  void run() throws Exception {
    try {
      for (String n : NODES) node(n);
      f.createServicesAndRoute();
      f.client.resource(daemonSet("demo:1")).create();
      RolloutSpec spec =
          ClusterFixture.spec(
                  "unused:0",
                  CanaryStep.scale(new SetCanaryScale(1, null, null)),
                  CanaryStep.pause(null),
                  CanaryStep.scale(new SetCanaryScale(null, 50, null)),
                  CanaryStep.pause(null))
              .withTemplate(null)
              .withReplicas(null)
              .withWorkloadRef(new WorkloadRef(WorkloadRef.Kind.DaemonSet, "agent"));
      f.client.resource(ClusterFixture.withName(spec, "demo", f.ns)).create();
      List<String> trace = new ArrayList<>();
      RolloutStatus s = await(st -> st.state() == RevisionState.Stable, trace);
      String v1 = s.stableRevision();
      awaitImages(Map.of("ds-node-0", "demo:1", "ds-node-1", "demo:1", "ds-node-2", "demo:1"));
      System.out.println("daemonset: v1 " + v1 + " stable on " + images());

      notReady(NOT_READY);
      String skippedUid = pod(NOT_READY).getMetadata().getUid();

      setImage("demo:2");
      s = await(st -> paused(st, 1), trace);
      String v2 = s.canaryRevision();
      assertEquals("1/3 nodes [ds-node-0]", s.updated(), trace.toString());
      String skipped = condition(s, "NodesSkipped");
      assertTrue(skipped.contains(NOT_READY), skipped);
      System.out.println("daemonset: " + v2 + " at step 1: " + s.updated() + "; " + skipped);
      assertEquals("demo:1", image(pod("ds-node-1")));

      f.request("Resume");
      s = await(st -> paused(st, 3), trace);
      assertEquals("2/3 nodes [ds-node-0, ds-node-1]", s.updated(), trace.toString());
      System.out.println("daemonset: " + v2 + " at step 3: " + s.updated());

      f.request("Resume");
      s = await(st -> st.state() == RevisionState.Stable && v2.equals(st.stableRevision()), trace);
      awaitImages(Map.of("ds-node-0", "demo:2", "ds-node-1", "demo:2", "ds-node-2", "demo:2"));
      assertEquals(skippedUid, pod(NOT_READY).getMetadata().getUid(), "the node not Ready");
      assertEquals("demo:1", image(pod(NOT_READY)));
      System.out.println("daemonset: " + v2 + " promoted: " + s.updated() + "; " + images());

      setImage("demo:3");
      s = await(st -> paused(st, 1), trace);
      String v3 = s.canaryRevision();
      Map<String, String> uids = uids();
      f.request("Abort");
      s =
          await(
              st ->
                  st.state() == RevisionState.RolledBack
                      && st.message() != null
                      && st.message().startsWith("rolled back")
                      && "0/3 nodes".equals(st.updated()),
              trace);
      assertEquals(v3, s.templateRestoredFor(), s.toString());
      assertEquals("demo:2", templateImage(), "the stable template is back in the DaemonSet");
      awaitImages(Map.of("ds-node-0", "demo:2", "ds-node-1", "demo:2", "ds-node-2", "demo:2"));
      Map<String, String> after = uids();
      assertTrue(!uids.get("ds-node-0").equals(after.get("ds-node-0")), "ds-node-0 replaced");
      for (String n : List.of("ds-node-1", "ds-node-2", NOT_READY)) {
        assertEquals(uids.get(n), after.get(n), n + " never restarted");
      }
      Instant rolledBack = Instant.now();
      List<RecordEntry> entries = EvidenceChecks.exportAndVerify(cp, f.ns, "demo", v3);
      List<String> replaced =
          entries.stream()
              .filter(
                  e -> e.kind().equals("PodReplaced") && Instant.parse(e.at()).isBefore(rolledBack))
              .map(
                  e ->
                      e.data().get("node") + ":" + e.data().get("from") + "->" + e.data().get("to"))
              .toList();
      // After the rollback nothing is replaced but on a node back on its feet (its old pod put on
      // the template), and the not-Ready node stays down (notReady): none is expected.
      for (RecordEntry late : entries) {
        if (!late.kind().equals("PodReplaced") || Instant.parse(late.at()).isBefore(rolledBack)) {
          continue;
        }
        assertEquals(NOT_READY, late.data().get("node"), "after the rollback: " + late);
        assertTrue(ready(NOT_READY), NOT_READY + " replaced while not Ready: " + late);
        System.out.println(
            "daemonset: " + NOT_READY + " Ready again (KWOK), its pod replaced: " + late.data());
      }
      assertEquals(
          List.of("ds-node-0:" + v2 + "->" + v3, "ds-node-0:" + v3 + "->" + v2),
          replaced,
          entries.toString());
      assertTrue(
          entries.stream().anyMatch(e -> e.kind().equals("TemplateWritten")), entries.toString());
      System.out.println(
          "daemonset: "
              + v3
              + " aborted at step 1: template back to "
              + v2
              + ", pods replaced "
              + replaced
              + "; evidence: "
              + entries.size()
              + " entries, verified");
    } finally {
      f.client.apps().daemonSets().inNamespace(f.ns).withName("agent").delete();
      for (String n : NODES) f.client.nodes().withName(n).delete();
    }
  }

  private RolloutStatus await(Predicate<RolloutStatus> done, List<String> trace) {
    return RolloutAwait.status(f, done, Duration.ofSeconds(120), trace);
  }

  private static void until(String what, Duration timeout, BooleanSupplier cond) {
    Await.until(what, timeout).every(Duration.ofMillis(200)).holds(cond);
  }

  private static boolean paused(RolloutStatus s, int step) {
    return s.state() == RevisionState.Paused
        && Integer.valueOf(step).equals(s.currentStepIndex())
        && s.message() != null
        && !s.message().contains("replacing");
  }

  private static String condition(RolloutStatus s, String type) {
    return s.conditionsOrEmpty().stream()
        .filter(c -> c.type().equals(type))
        .map(c -> c.message())
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + type + ": " + s));
  }

  /** A KWOK node for the DaemonSet alone (its label). */
  private void node(String name) {
    f.client.nodes().resource(Kwok.node(name, Map.of(LABEL, "yes"), "8", "16Gi", "110")).create();
  }

  private boolean ready(String name) {
    return f.client.nodes().withName(name).get().getStatus().getConditions().stream()
        .anyMatch(c -> c.getType().equals("Ready") && "True".equals(c.getStatus()));
  }

  /**
   * The node turns not Ready, as a kubelet gone quiet, and stays so: KWOK lets go of it. Removing
   * KWOK's annotation was not enough: a heartbeat KWOK had queued (20 to 45 s ahead) still wrote
   * Ready back (the stop after the fifth session, 15 s after the rollback). KWOK cancels a node's
   * queued work only when the node is deleted, so the node is deleted and made again, the same but
   * without KWOK's annotation; its pod, bound by name, stays.
   */
  private void notReady(String name) {
    Node old = f.client.nodes().withName(name).get();
    f.client.nodes().withName(name).delete();
    until(
        "node " + name + " deleted",
        Duration.ofSeconds(60),
        () -> f.client.nodes().withName(name).get() == null);
    Node again =
        new NodeBuilder()
            .withNewMetadata()
            .withName(name)
            .withLabels(old.getMetadata().getLabels())
            .endMetadata()
            .withNewSpec()
            .endSpec()
            .build();
    f.client.nodes().resource(again).create();
    until(
        "node " + name + " not Ready",
        Duration.ofSeconds(60),
        () -> {
          Node n = f.client.nodes().withName(name).get();
          var ready =
              n.getStatus() == null || n.getStatus().getConditions() == null
                  ? null
                  : n.getStatus().getConditions().stream()
                      .filter(c -> c.getType().equals("Ready"))
                      .findFirst()
                      .orElse(null);
          if (ready != null && !"True".equals(ready.getStatus())) return true;
          n.setStatus(
              new NodeStatusBuilder()
                  .withCapacity(old.getStatus().getCapacity())
                  .withAllocatable(old.getStatus().getAllocatable())
                  .withConditions(
                      new NodeConditionBuilder()
                          .withType("Ready")
                          .withStatus("False")
                          .withReason("KubeletStopped")
                          .withMessage("the e2e stopped this node's heartbeat")
                          .build())
                  .build());
          try {
            f.client.nodes().resource(n).updateStatus();
          } catch (KubernetesClientException e) {
            // The node lifecycle controller writes the new node too (taints, a lease): read again.
            if (e.getCode() != 409) throw e;
          }
          return false;
        });
  }

  private DaemonSet daemonSet(String image) {
    return new DaemonSetBuilder()
        .withNewMetadata()
        .withName("agent")
        .withNamespace(f.ns)
        .addToAnnotations("slipway.dev/adopt-by", "demo")
        .endMetadata()
        .withNewSpec()
        .withNewSelector()
        .addToMatchLabels("app", "demo")
        .endSelector()
        .withNewUpdateStrategy()
        .withType("OnDelete")
        .endUpdateStrategy()
        .withNewTemplate()
        .withNewMetadata()
        .addToLabels("app", "demo")
        .endMetadata()
        .withNewSpec()
        .addToNodeSelector(LABEL, "yes")
        .addNewContainer()
        .withName("agent")
        .withImage(image)
        .endContainer()
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }

  /** As Argo CD would apply a new template from Git. */
  private void setImage(String image) {
    f.client
        .apps()
        .daemonSets()
        .inNamespace(f.ns)
        .withName("agent")
        .edit(
            d -> {
              d.getSpec().getTemplate().getSpec().getContainers().get(0).setImage(image);
              return d;
            });
  }

  private String templateImage() {
    return f.client
        .apps()
        .daemonSets()
        .inNamespace(f.ns)
        .withName("agent")
        .get()
        .getSpec()
        .getTemplate()
        .getSpec()
        .getContainers()
        .get(0)
        .getImage();
  }

  private Pod pod(String node) {
    return DemoPods.live(f).stream()
        .filter(p -> node.equals(p.getSpec().getNodeName()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no pod on " + node + ": " + images()));
  }

  private static String image(Pod p) {
    return p.getSpec().getContainers().get(0).getImage();
  }

  /** Each node's pod: its image, and whether it is Ready. */
  private Map<String, String> images() {
    Map<String, String> out = new TreeMap<>();
    for (Pod p : DemoPods.live(f)) {
      out.put(
          String.valueOf(p.getSpec().getNodeName()),
          image(p) + (DemoPods.ready(p) ? "" : " (not Ready)"));
    }
    return out;
  }

  private Map<String, String> uids() {
    Map<String, String> out = new TreeMap<>();
    for (Pod p : DemoPods.live(f))
      out.put(String.valueOf(p.getSpec().getNodeName()), p.getMetadata().getUid());
    return out;
  }

  private void awaitImages(Map<String, String> want) {
    until(
        "pods " + want,
        Duration.ofSeconds(60),
        () -> {
          Map<String, String> now = images();
          return want.entrySet().stream().allMatch(e -> e.getValue().equals(now.get(e.getKey())));
        });
  }
}
