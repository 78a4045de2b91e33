package dev.slipway.e2e.cluster;

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
final class Kwok {
  static final String NODE = "kwok-node-0";

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
            "--manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake",
            "--node-lease-duration-seconds=40",
            "--cidr=10.0.0.0/16",
            "--node-ip=10.0.0.1"));
    Map<String, Quantity> capacity =
        Map.of(
            "cpu",
            new Quantity("32"),
            "memory",
            new Quantity("256Gi"),
            "pods",
            new Quantity("30000"));
    cp.admin()
        .nodes()
        .resource(
            new NodeBuilder()
                .withNewMetadata()
                .withName(NODE)
                .addToAnnotations("kwok.x-k8s.io/node", "fake")
                .addToLabels("kubernetes.io/hostname", NODE)
                .addToLabels("type", "kwok")
                .endMetadata()
                .withNewSpec()
                .endSpec()
                .withNewStatus()
                .withCapacity(capacity)
                .withAllocatable(capacity)
                .endStatus()
                .build())
        .create();
  }
}
