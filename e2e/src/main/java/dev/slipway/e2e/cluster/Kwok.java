package dev.slipway.e2e.cluster;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * KWOK fakes a kubelet: pods scheduled to its node become Running and Ready without containers. Its
 * pod IPs are fake 10.x addresses, never to be dialled.
 */
public final class Kwok {
  static final String NODE = "kwok-node-0";

  /** The annotation by which KWOK manages a node (its heartbeat, its pods). */
  public static final String MANAGED = "kwok.x-k8s.io/node";

  private Kwok() {}

  static void start(LocalControlPlane cp, Path bin, Path dir, Path kubeconfig) throws IOException {
    // No server address: KWOK then serves nothing, so it opens no port at all.
    Path config = bin.resolve("kwok-stages.yaml");
    cp.spawn(
        "kwok",
        List.of(
            bin.resolve("kwok").toString(),
            "--kubeconfig=" + kubeconfig,
            "--config=" + config,
            "--manage-nodes-with-annotation-selector=" + MANAGED + "=fake",
            "--node-lease-duration-seconds=40",
            "--cidr=10.0.0.0/16",
            "--node-ip=10.0.0.1"));
    cp.admin().nodes().resource(node(NODE, Map.of(), "32", "256Gi", "30000")).create();
  }

  /** A node KWOK manages (its annotation), with these labels besides hostname and type=kwok. */
  public static Node node(
      String name, Map<String, String> labels, String cpu, String memory, String pods) {
    Map<String, Quantity> capacity =
        Map.of(
            "cpu", new Quantity(cpu), "memory", new Quantity(memory), "pods", new Quantity(pods));
    return new NodeBuilder()
        .withNewMetadata()
        .withName(name)
        .addToAnnotations(MANAGED, "fake")
        .addToLabels("kubernetes.io/hostname", name)
        .addToLabels("type", "kwok")
        .addToLabels(labels)
        .endMetadata()
        .withNewSpec()
        .endSpec()
        .withNewStatus()
        .withCapacity(capacity)
        .withAllocatable(capacity)
        .endStatus()
        .build();
  }
}
