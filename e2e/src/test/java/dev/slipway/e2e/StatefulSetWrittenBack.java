package dev.slipway.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * A StatefulSet canary its controller made current, rolled back (the real kube-controller-manager's
 * StatefulSet controller and its ControllerRevisions, pods run by KWOK): mid-canary the partition
 * is set to 0 by hand while the Rollout is refused (consent withdrawn, so Slipway cannot put it
 * back first), and the StatefulSet takes every ordinal to the canary and makes it current. Consent
 * back, an Abort: Slipway writes the stable template back from its ControllerRevision (the
 * StatefulSet reuses that revision, same name), lowers the partition, and the StatefulSet's own
 * rolling update returns every ordinal to the stable revision; the partition is held again, the
 * evidence names the template written and verifies, and Git's template synced back moves no pod.
 * Run by ControllerE2ETest, whose controller runs under the shipped RBAC.
 */
final class StatefulSetWrittenBack {
  static final String LABEL = "slipway-e2e-statefulset";
  static final String NODE = "sts-node-0";
  static final String NAME = "db";

  private final ClusterFixture f;
  private final Cluster cp;

  StatefulSetWrittenBack(Cluster cp, ClusterFixture f) {
    this.cp = cp;
    this.f = f;
  }

  void run() throws Exception {
    try {
      f.client.nodes().resource(Kwok.node(NODE, Map.of(LABEL, "yes"), "8", "16Gi", "110")).create();
      f.client.resource(statefulSet("demo:1")).create();
      RolloutSpec spec =
          ClusterFixture.spec(
                  "unused:0",
                  CanaryStep.scale(new SetCanaryScale(1, null, null)),
                  CanaryStep.pause(null))
              .withTemplate(null)
              .withReplicas(null)
              .withWorkloadRef(new WorkloadRef(WorkloadRef.Kind.StatefulSet, NAME));
      f.client.resource(ClusterFixture.withName(spec, "demo", f.ns)).create();
      List<String> trace = new ArrayList<>();
      RolloutStatus s =
          await(
              st -> st.state() == RevisionState.Stable && partition() == 3 && allOn("demo:1"),
              trace);
      String v1 = s.stableRevision();
      System.out.println("statefulset: v1 " + v1 + " stable, " + s.updated());

      setImage("demo:2");
      s =
          await(
              st ->
                  st.state() == RevisionState.Paused
                      && Integer.valueOf(1).equals(st.currentStepIndex())
                      && "demo:2".equals(images().get(NAME + "-2")),
              trace);
      String v2 = s.canaryRevision();
      System.out.println("statefulset: " + v2 + " at step 1: " + s.updated());

      // A person sets the partition to 0 while Slipway may not write (consent withdrawn).
      consent(false);
      await(st -> condition(st, "WorkloadRefused"), trace);
      f.client
          .apps()
          .statefulSets()
          .inNamespace(f.ns)
          .withName(NAME)
          .patch(
              PatchContext.of(PatchType.JSON_MERGE),
              "{\"spec\":{\"updateStrategy\":{\"rollingUpdate\":{\"partition\":0}}}}");
      until(
          "every ordinal on " + v2 + ", made current",
          Duration.ofSeconds(90),
          () -> v2.equals(sts().getStatus().getCurrentRevision()) && allOn("demo:2"));
      System.out.println("statefulset: by hand, every ordinal on " + v2 + ", current: " + images());

      consent(true);
      f.request("Abort");
      s =
          await(
              st ->
                  st.state() == RevisionState.RolledBack
                      && st.message() != null
                      && st.message().startsWith("rolled back")
                      && v1.equals(sts().getStatus().getCurrentRevision())
                      && partition() == 3
                      && allOn("demo:1"),
              trace);
      assertEquals(v2, s.templateRestoredFor(), s.toString());
      assertEquals("demo:1", templateImage(), "the stable template is back in the StatefulSet");
      assertEquals(v1, sts().getStatus().getUpdateRevision(), "its ControllerRevision, reused");
      System.out.println(
          "statefulset: " + v2 + " aborted: template of " + v1 + " written back; " + images());
      List<RecordEntry> entries = EvidenceChecks.exportAndVerify(cp, f.ns, "demo", v2);
      RecordEntry written =
          entries.stream()
              .filter(e -> e.kind().equals("TemplateWritten"))
              .findFirst()
              .orElseThrow(() -> new AssertionError("no TemplateWritten: " + entries));
      assertEquals(NAME, written.data().get("statefulSet"), written.toString());
      assertEquals(v1, written.data().get("template"), written.toString());

      // Git's template synced back (as self-heal would): nothing of Slipway's left, no pod moves.
      Map<String, String> uids = uids();
      setImage("demo:2");
      s = await(st -> st.templateRestoredFor() == null, trace);
      Thread.sleep(2_000);
      assertEquals(RevisionState.RolledBack, s.state(), s.toString());
      assertEquals(3, partition(), "held");
      assertEquals(uids, uids(), "no pod replaced after Git's template came back");
      System.out.println(
          "statefulset: Git's template back: no pod moved, partition "
              + partition()
              + "; evidence "
              + entries.size()
              + " entries, verified");
    } finally {
      f.client.apps().statefulSets().inNamespace(f.ns).withName(NAME).delete();
      f.client.nodes().withName(NODE).delete();
    }
  }

  private RolloutStatus await(Predicate<RolloutStatus> done, List<String> trace) {
    return RolloutAwait.status(f, done, Duration.ofSeconds(120), trace);
  }

  private static void until(String what, Duration timeout, BooleanSupplier cond) {
    Await.until(what, timeout).every(Duration.ofMillis(200)).holds(cond);
  }

  private static boolean condition(RolloutStatus s, String type) {
    return s.conditionsOrEmpty().stream()
        .anyMatch(c -> c.type().equals(type) && "True".equals(c.status()));
  }

  private StatefulSet statefulSet(String image) {
    return new StatefulSetBuilder()
        .withNewMetadata()
        .withName(NAME)
        .withNamespace(f.ns)
        .addToAnnotations("slipway.dev/adopt-by", "demo")
        .endMetadata()
        .withNewSpec()
        .withReplicas(3)
        .withServiceName("demo-stable")
        .withNewSelector()
        .addToMatchLabels("app", "demo")
        .endSelector()
        .withNewTemplate()
        .withNewMetadata()
        .addToLabels("app", "demo")
        .endMetadata()
        .withNewSpec()
        .addToNodeSelector(LABEL, "yes")
        .addNewContainer()
        .withName("db")
        .withImage(image)
        .endContainer()
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }

  private StatefulSet sts() {
    return f.client.apps().statefulSets().inNamespace(f.ns).withName(NAME).get();
  }

  private int partition() {
    var u = sts().getSpec().getUpdateStrategy();
    Integer p =
        u == null || u.getRollingUpdate() == null ? null : u.getRollingUpdate().getPartition();
    return p == null ? 0 : p;
  }

  /** Whoever owns it grants or withdraws consent (the adopt-by annotation). */
  private void consent(boolean granted) {
    edit(
        x -> {
          if (granted) x.getMetadata().getAnnotations().put("slipway.dev/adopt-by", "demo");
          else x.getMetadata().getAnnotations().remove("slipway.dev/adopt-by");
          return x;
        });
  }

  /** As Argo CD would apply a new template from Git. */
  private void setImage(String image) {
    edit(
        x -> {
          x.getSpec().getTemplate().getSpec().getContainers().get(0).setImage(image);
          return x;
        });
  }

  private void edit(java.util.function.UnaryOperator<StatefulSet> change) {
    f.client.apps().statefulSets().inNamespace(f.ns).withName(NAME).edit(change);
  }

  private String templateImage() {
    return sts().getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
  }

  /** Each ordinal's pod: its image, and whether it is Ready. */
  private Map<String, String> images() {
    Map<String, String> out = new TreeMap<>();
    for (Pod p : DemoPods.live(f)) {
      out.put(
          p.getMetadata().getName(),
          p.getSpec().getContainers().get(0).getImage()
              + (DemoPods.ready(p) ? "" : " (not Ready)"));
    }
    return out;
  }

  private boolean allOn(String image) {
    Map<String, String> now = images();
    return now.size() == 3 && now.values().stream().allMatch(image::equals);
  }

  private Map<String, String> uids() {
    Map<String, String> out = new TreeMap<>();
    for (Pod p : DemoPods.live(f)) out.put(p.getMetadata().getName(), p.getMetadata().getUid());
    return out;
  }
}
