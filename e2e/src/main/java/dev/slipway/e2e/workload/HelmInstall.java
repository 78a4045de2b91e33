package dev.slipway.e2e.workload;

import dev.slipway.e2e.cluster.LocalControlPlane;
import dev.slipway.e2e.cluster.RealNode;
import dev.slipway.e2e.images.Images;
import dev.slipway.e2e.tools.Helm;
import dev.slipway.e2e.tools.Kubectl;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * `helm install` of the chart onto the local cluster's real node, as a platform engineer would run
 * it, with the images imported from their tars (no registry here). The only value a real cluster
 * would not need: pods reach the API server through the harness's relay on the pod bridge, since
 * this cluster runs no kube-proxy.
 */
public final class HelmInstall {
  public static final String NAMESPACE = "slipway-system";

  private HelmInstall() {}

  /** Values for this cluster: the relay, never pulling, plus the caller's own YAML lines. */
  public static Path values(LocalControlPlane cp, String extra) {
    return values(cp, "image: {pullPolicy: Never}\n" + extra, "install-values.yaml");
  }

  /**
   * Values for an install from a registry: the relay and the caller's lines; the image is the
   * chart's own (a release's chart names it by digest), pulled by the node.
   */
  public static Path pullingValues(LocalControlPlane cp, String extra) {
    return values(cp, extra, "install-values-pulling.yaml");
  }

  private static Path values(LocalControlPlane cp, String extra, String file) {
    RealNode node = cp.node().orElseThrow(() -> new IllegalStateException("needs the real node"));
    try {
      Path values = cp.dir().resolve(file);
      Files.writeString(
          values,
          """
          extraEnv:
          - {name: KUBERNETES_SERVICE_HOST, value: "%s"}
          - {name: KUBERNETES_SERVICE_PORT, value: "%d"}
          """
                  .formatted(node.apiHostForPods(), node.apiPortForPods())
              + extra);
      return values;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A values line: the chart's own jvmOptions (read from its values.yaml, so they cannot drift)
   * plus the client compiler only. For a suite's controller that lives minutes, not days: the
   * server compiler's work costs more CPU than it saves there, on machines the suite keeps busy.
   */
  public static String clientCompilerOnly() {
    try {
      Map<?, ?> chart =
          Serialization.unmarshal(Files.readString(Helm.CHART.resolve("values.yaml")), Map.class);
      Object options = chart.get("jvmOptions");
      if (!(options instanceof String s) || s.isBlank()) {
        throw new IllegalStateException("the chart's values.yaml has no jvmOptions");
      }
      return "jvmOptions: \"" + s.strip() + " -XX:TieredStopAtLevel=1\"\n";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Imports the controller and sample-app images into the node; returns the controller tar's size.
   */
  public static String importImages(LocalControlPlane cp) {
    RealNode node = cp.node().orElseThrow();
    Path controller = Images.controllerTar();
    node.importImage(controller);
    node.importImage(Images.sampleAppTar());
    return Images.size(controller);
  }

  /** helm install --wait, failing with the pods' state when it does not come up. */
  public static Kubectl.Result install(LocalControlPlane cp, Path values) {
    return helm(cp, "install", Helm.CHART.toString(), values);
  }

  /**
   * helm install or upgrade (verb) of a chart reference (a directory, or oci://… then with
   * --version and the like in {@code more}), --wait, failing with the pods' state.
   */
  public static Kubectl.Result helm(
      LocalControlPlane cp, String verb, String chart, Path values, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                verb,
                "slipway",
                chart,
                "-n",
                NAMESPACE,
                "-f",
                values.toString(),
                "--wait",
                "--timeout",
                "4m"));
    if (verb.equals("install")) args.add("--create-namespace");
    args.addAll(List.of(more));
    Kubectl.Result r = new Helm(cp.adminKubeconfig()).run(args.toArray(String[]::new));
    if (r.exit() != 0) {
      throw new IllegalStateException(
          "helm "
              + verb
              + " failed: "
              + r.out()
              + "\n"
              + new Kubectl(cp.adminKubeconfig())
                  .run(null, "describe", "pods", "-n", NAMESPACE)
                  .out());
    }
    return r;
  }

  /**
   * Copies the controller pods' logs to {@code to} before a class tears the cluster down, so a
   * failed run on a clean clone leaves the controller's side of the story behind.
   */
  public static Path saveLogs(LocalControlPlane cp, Path to) {
    Kubectl.Result r =
        new Kubectl(cp.adminKubeconfig())
            .run(
                null,
                "logs",
                "-n",
                NAMESPACE,
                "-l",
                "app.kubernetes.io/name=slipway-controller",
                "--tail=-1",
                "--prefix",
                "--all-containers");
    try {
      Files.createDirectories(to.getParent());
      Files.writeString(to, r.out());
      return to;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
