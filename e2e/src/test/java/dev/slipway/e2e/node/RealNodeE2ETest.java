package dev.slipway.e2e.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.e2e.Lanes;
import dev.slipway.e2e.Prerequisites;
import dev.slipway.e2e.cluster.ClusterLease;
import dev.slipway.e2e.cluster.LocalControlPlane;
import dev.slipway.e2e.cluster.RealNode;
import dev.slipway.e2e.cluster.SharedClusters;
import dev.slipway.e2e.images.Images;
import dev.slipway.e2e.tools.Kubectl;
import dev.slipway.testing.TestTime;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * The real node: a pod of the sample-app image is a real container (runc, its own network namespace
 * on the harness's bridge), passes the kubelet's probe, serves on its pod address, and `kubectl
 * logs` reads its output through the kubelet.
 */
@ResourceLock(Lanes.REAL_NODE)
@Order(3)
class RealNodeE2ETest {
  static final String NS = "real-node";
  static ClusterLease lease;
  static LocalControlPlane cp;

  @BeforeAll
  static void up() {
    Prerequisites.realNode();
    lease = SharedClusters.realNode(Lanes.REAL_NODE);
    cp = lease.plane();
    System.out.println("e2e cluster provider: " + cp.describe());
    cp.admin()
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build())
        .create();
  }

  @AfterAll
  static void down() {
    if (lease != null) lease.close();
  }

  @Test
  void aPodIsARealContainerOnThePodBridge() throws Exception {
    RealNode node = cp.node().orElseThrow();
    long t0 = System.nanoTime();
    node.importImage(Images.sampleAppTar());
    System.out.printf(
        "sample-app image imported into the node's containerd in %d ms%n",
        (System.nanoTime() - t0) / 1_000_000);
    cp.admin()
        .pods()
        .inNamespace(NS)
        .resource(
            new PodBuilder()
                .withNewMetadata()
                .withName("hello")
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("app")
                .withImage(Images.SAMPLE_APP)
                .withImagePullPolicy("Never")
                .withNewReadinessProbe()
                .withNewHttpGet()
                .withPath("/healthz")
                .withNewPort(8080)
                .endHttpGet()
                .withPeriodSeconds(1)
                .endReadinessProbe()
                .withNewSecurityContext()
                .withReadOnlyRootFilesystem(true)
                .withRunAsNonRoot(true)
                .endSecurityContext()
                .endContainer()
                .endSpec()
                .build())
        .create();
    Pod pod =
        cp.admin()
            .pods()
            .inNamespace(NS)
            .withName("hello")
            .waitUntilCondition(
                p ->
                    p != null
                        && p.getStatus() != null
                        && p.getStatus().getConditions() != null
                        && p.getStatus().getConditions().stream()
                            .anyMatch(
                                c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus())),
                TestTime.seconds(120),
                TimeUnit.SECONDS);
    String ip = pod.getStatus().getPodIP();
    System.out.printf(
        "pod hello Ready on %s at %s (%s), image %s%n",
        pod.getSpec().getNodeName(),
        ip,
        pod.getStatus().getContainerStatuses().get(0).getContainerID(),
        pod.getStatus().getContainerStatuses().get(0).getImageID());
    assertEquals(RealNode.NAME, pod.getSpec().getNodeName());
    assertTrue(
        ip.startsWith(node.podAddressPrefix()),
        ip + " is on the harness's bridge " + node.podAddressPrefix() + "0/24");

    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://" + ip + ":8080/"))
                    .timeout(Duration.ofSeconds(5))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    System.out.println("GET http://" + ip + ":8080/ -> " + r.statusCode() + " " + r.body().strip());
    assertEquals(200, r.statusCode());

    Kubectl.Result logs = new Kubectl(cp.adminKubeconfig()).run(null, "logs", "hello", "-n", NS);
    System.out.println("kubectl logs hello: " + logs.out().strip());
    assertEquals(0, logs.exit(), logs.out());
    assertTrue(logs.out().contains("8080"), logs.out());
  }
}
