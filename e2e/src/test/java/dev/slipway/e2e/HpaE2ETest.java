package dev.slipway.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.slipway.api.v1alpha1.CanaryStep;
import dev.slipway.api.v1alpha1.RevisionState;
import dev.slipway.api.v1alpha1.Rollout;
import dev.slipway.api.v1alpha1.RolloutStatus;
import dev.slipway.controller.reconcile.ClusterFixture;
import dev.slipway.e2e.tools.Await;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * A real HorizontalPodAutoscaler (kube-controller-manager's) drives a Rollout through the scale
 * subresource in the middle of a canary: both sides follow it, the canary keeps its share, and the
 * canary does not move on because of it.
 *
 * <p>This cluster serves no metrics API, so the HPA acts only on its bounds (minReplicas here);
 * that path reads spec.replicas. The path that reads the scale subresource's status.replicas
 * (External and Object metrics with an AverageValue target, within tolerance) is covered by
 * HpaScaleTest: status.scaleReplicas counts the stable side only, so it cannot feed the canary's
 * pods back into spec.replicas.
 */
@ResourceLock(Lanes.KWOK_A)
@Order(13)
class HpaE2ETest {
  static KwokStack stack;
  static ClusterFixture f;

  @BeforeAll
  static void up() {
    stack = new KwokStack(Lanes.KWOK_A);
    f = stack.namespace("e2e-hpa");
    f.createServicesAndRoute();
  }

  @AfterAll
  static void down() {
    if (stack != null) stack.close();
  }

  @Test
  void anHpaRaisesBothSidesMidCanaryThroughTheScaleSubresource() {
    Rollout r =
        ClusterFixture.withName(
            ClusterFixture.spec(2, "demo:1", CanaryStep.weight(50), CanaryStep.pause(null)),
            "demo",
            "e2e-hpa");
    stack.cp.admin().resource(r).create();
    List<String> trace = new ArrayList<>();
    RolloutAwait.status(f, s -> s.state() == RevisionState.Stable, Duration.ofMinutes(2), trace);
    f.newImage("demo:2");
    RolloutStatus paused =
        RolloutAwait.status(
            f,
            s ->
                s.state() == RevisionState.Paused && Integer.valueOf(50).equals(s.verifiedWeight()),
            Duration.ofMinutes(2),
            trace);
    String stable = paused.stableRevision();
    String canary = paused.canaryRevision();
    System.out.println(
        "before the HPA: "
            + replicaSets()
            + "; status.replicas "
            + paused.replicas()
            + ", status.scaleReplicas "
            + paused.scaleReplicas()
            + " (what kubectl get --subresource=scale shows: "
            + stack
                .kubectl
                .run(
                    null,
                    "get",
                    "rollout.slipway.dev/demo",
                    "-n",
                    "e2e-hpa",
                    "--subresource=scale",
                    "-o",
                    "jsonpath={.spec.replicas}/{.status.replicas}/{.status.selector}")
                .out()
            + ")");
    assertEquals(2, paused.scaleReplicas());
    assertEquals(3, paused.replicas());

    var hpa =
        stack.kubectl.run(
            """
        apiVersion: autoscaling/v2
        kind: HorizontalPodAutoscaler
        metadata: {name: demo, namespace: e2e-hpa}
        spec:
          scaleTargetRef: {apiVersion: slipway.dev/v1alpha1, kind: Rollout, name: demo}
          minReplicas: 4
          maxReplicas: 8
          metrics:
          - type: Resource
            resource: {name: cpu, target: {type: Utilization, averageUtilization: 70}}
        """,
            "apply",
            "-f",
            "-");
    assertEquals(0, hpa.exit(), hpa.out());
    Await.until(
        "the HPA to raise spec.replicas to 4",
        Duration.ofMinutes(2),
        () -> Integer.valueOf(4).equals(f.get().getSpec().replicas()));
    RolloutStatus raised =
        RolloutAwait.status(
            f,
            s ->
                replicaSets().equals(Map.of(stable, 4, canary, 2))
                    && Integer.valueOf(4).equals(s.scaleReplicas()),
            Duration.ofMinutes(1),
            trace);
    System.out.println(
        "after the HPA (minReplicas 4): "
            + replicaSets()
            + "; state "
            + raised.state()
            + ", step "
            + raised.step()
            + ", weight "
            + raised.verifiedWeight()
            + "; hpa: "
            + stack
                .kubectl
                .run(
                    null,
                    "get",
                    "hpa",
                    "demo",
                    "-n",
                    "e2e-hpa",
                    "-o",
                    "jsonpath={.status.desiredReplicas} {.status.conditions[*].reason}")
                .out());
    assertEquals(
        RevisionState.Paused, raised.state(), "the canary moved on because of a scale change");
    assertEquals(Integer.valueOf(50), raised.verifiedWeight());

    f.request("PromoteFull");
    RolloutStatus done =
        RolloutAwait.status(
            f,
            s ->
                s.state() == RevisionState.Stable
                    && s.canaryRevision() == null
                    && replicaSets().equals(Map.of(canary, 4)),
            Duration.ofMinutes(2),
            trace);
    System.out.println(
        "promoted under the HPA: "
            + replicaSets()
            + "; status.scaleReplicas "
            + done.scaleReplicas());
    assertEquals(4, done.scaleReplicas());
  }

  /** Revision -> spec.replicas of the Rollout's ReplicaSets that have any. */
  static Map<String, Integer> replicaSets() {
    Map<String, Integer> out = new TreeMap<>();
    for (ReplicaSet rs :
        stack.cp.admin().apps().replicaSets().inNamespace("e2e-hpa").list().getItems()) {
      int n = rs.getSpec().getReplicas() == null ? 0 : rs.getSpec().getReplicas();
      if (n > 0) out.put(rs.getMetadata().getLabels().get("slipway.dev/pod-template-hash"), n);
    }
    return out;
  }
}
