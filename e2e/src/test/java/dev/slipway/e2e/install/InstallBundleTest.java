package dev.slipway.e2e.install;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.e2e.cluster.Crds;
import dev.slipway.e2e.tools.Helm;
import dev.slipway.e2e.tools.Kubectl;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * One install bundle, three spellings that cannot drift: the Helm chart is the source; the plain
 * manifests (samples/install/rbac.yaml, controller.yaml) are its default render without Helm's
 * bookkeeping labels, regenerated with -Dslipway.updateInstall=true; the kustomize base is those
 * manifests plus crds/, and the chart's files/crds/ are the model's CRDs (CrdDriftTest), rendered
 * as templates (installCRDs, keepCRDs) so that helm upgrade updates them.
 */
@Order(8)
class InstallBundleTest {
  static final Path INSTALL = Crds.repoRoot().resolve("samples/install");
  static final List<String> RBAC_SOURCES =
      List.of(
          "serviceaccount.yaml",
          "rbac-controller.yaml",
          "rbac-own-namespace.yaml",
          "rbac-users.yaml",
          "approvals.yaml");
  static final List<String> CONTROLLER_SOURCES =
      List.of("deployment.yaml", "pdb.yaml", "service.yaml");
  static final String GENERATED =
      """
      # Generated from the Helm chart samples/install/helm/slipway with its default values
      # (release "slipway" in namespace slipway-system), without Helm's own labels. Do not edit:
      # change the chart, then run: mvn -pl e2e verify -Dtest=InstallBundleTest -Dslipway.updateInstall=true
      """;

  final Helm helm = new Helm(null);

  @Test
  void helmLintIsCleanInBothScopes() {
    Kubectl.Result cluster = helm.run("lint", "--strict", Helm.CHART.toString());
    System.out.println("helm lint --strict: " + cluster.out().strip().replace('\n', ' '));
    assertEquals(0, cluster.exit(), cluster.out());
    Kubectl.Result ns =
        helm.run(
            "lint",
            "--strict",
            Helm.CHART.toString(),
            "--set",
            "scope=namespace",
            "--set",
            "watchNamespaces={team-a,team-b}");
    assertEquals(0, ns.exit(), ns.out());
    Kubectl.Result bad =
        helm.run("template", "x", Helm.CHART.toString(), "--set", "scope=namespace");
    assertTrue(
        bad.exit() != 0 && bad.out().contains("scope: namespace needs watchNamespaces"), bad.out());
  }

  @Test
  void plainManifestsAreTheChartsDefaults() throws IOException {
    Map<String, String> bySource = renderBySource();
    // The chart's CRDs are the model's (CrdDriftTest); their plain spelling is crds/ itself.
    assertTrue(bySource.remove("crds.yaml") != null, "the chart renders its CRDs by default");
    String rbac =
        GENERATED
            + """
        apiVersion: v1
        kind: Namespace
        metadata:
          name: slipway-system
        """
            + join(bySource, RBAC_SOURCES);
    String controller = GENERATED + join(bySource, CONTROLLER_SOURCES).substring("---\n".length());
    for (Map.Entry<Path, String> e :
        Map.of(INSTALL.resolve("rbac.yaml"), rbac, INSTALL.resolve("controller.yaml"), controller)
            .entrySet()) {
      if (System.getProperty("slipway.updateInstall") != null) {
        Files.writeString(e.getKey(), e.getValue());
      }
      assertEquals(
          e.getValue(),
          Files.readString(e.getKey()),
          e.getKey()
              + " drifted from the chart: run mvn -pl e2e verify "
              + "-Dtest=InstallBundleTest -Dslipway.updateInstall=true and commit");
    }
    assertEquals(
        bySource.keySet().stream().sorted().toList(),
        Stream.concat(RBAC_SOURCES.stream(), CONTROLLER_SOURCES.stream()).sorted().toList(),
        "every template the defaults render is in the plain manifests");
  }

  @Test
  void kustomizeHelmAndPlainManifestsHoldTheSameObjects() throws IOException {
    Kubectl.Result k = new Kubectl(Path.of("/dev/null")).run(null, "kustomize", INSTALL.toString());
    assertEquals(0, k.exit(), k.out());
    Map<String, Object> kustomize = objects(k.out());

    Map<String, Object> plain = new TreeMap<>();
    for (String f :
        List.of(
            "crds/rollouts.slipway.dev.yaml",
            "crds/analysistemplates.slipway.dev.yaml",
            "crds/rolloutrecords.slipway.dev.yaml",
            "crds/releases.slipway.dev.yaml",
            "samples/install/rbac.yaml",
            "samples/install/controller.yaml")) {
      plain.putAll(objects(Files.readString(Crds.repoRoot().resolve(f))));
    }
    assertSameObjects(
        plain,
        kustomize,
        "kubectl apply -k samples/install installs exactly the plain manifests and the CRDs");

    Kubectl.Result h =
        helm.run(
            "template", "slipway", Helm.CHART.toString(), "-n", "slipway-system", "--include-crds");
    assertEquals(0, h.exit(), h.out());
    Map<String, Object> chart = withoutKeepPolicy(objects(withoutHelmLabels(h.out())));
    Map<String, Object> plainWithoutNamespace = new TreeMap<>(plain);
    plainWithoutNamespace.remove("v1/Namespace//slipway-system");
    assertSameObjects(
        plainWithoutNamespace,
        chart,
        "helm install (with its CRDs) creates the same objects, but for the namespace (--create-namespace)");
    System.out.println(
        "one bundle, three ways: "
            + chart.size()
            + " objects from helm, "
            + kustomize.size()
            + " from kustomize (with the Namespace), "
            + plain.size()
            + " in the plain manifests: "
            + String.join(", ", plain.keySet()));
  }

  /**
   * The chart's CRDs without helm.sh/resource-policy: keep (keepCRDs, on by default), which only
   * Helm reads.
   */
  @SuppressWarnings("unchecked")
  static Map<String, Object> withoutKeepPolicy(Map<String, Object> objects) {
    int kept = 0;
    for (Object o : objects.values()) {
      Map<String, Object> meta = (Map<String, Object>) ((Map<String, Object>) o).get("metadata");
      Map<String, Object> annotations = (Map<String, Object>) meta.get("annotations");
      if (annotations != null && "keep".equals(annotations.remove("helm.sh/resource-policy"))) {
        kept++;
        if (annotations.isEmpty()) meta.remove("annotations");
      }
    }
    assertEquals(4, kept, "the four CRDs, and nothing else, are kept through helm uninstall");
    return objects;
  }

  /** The default render, one entry per template, Helm's bookkeeping labels removed. */
  static Map<String, String> renderBySource() {
    Kubectl.Result r =
        new Helm(null).run("template", "slipway", Helm.CHART.toString(), "-n", "slipway-system");
    assertEquals(0, r.exit(), r.out());
    Map<String, String> bySource = new TreeMap<>();
    for (String doc : withoutHelmLabels(r.out()).split("(?m)^---\\n")) {
      if (doc.isBlank()) {
        continue;
      }
      String first = doc.lines().findFirst().orElse("");
      String source = first.substring(first.lastIndexOf('/') + 1);
      bySource.merge(source, "---\n" + doc.substring(first.length() + 1), String::concat);
    }
    return bySource;
  }

  static String withoutHelmLabels(String yaml) {
    return yaml.lines()
        .filter(
            l ->
                !l.strip().startsWith("helm.sh/chart:")
                    && !l.strip().startsWith("app.kubernetes.io/managed-by:"))
        .reduce(new StringBuilder(), (b, l) -> b.append(l).append('\n'), StringBuilder::append)
        .toString();
  }

  static String join(Map<String, String> bySource, List<String> sources) {
    StringBuilder b = new StringBuilder();
    for (String s : sources) {
      if (bySource.containsKey(s)) {
        b.append(bySource.get(s));
      }
    }
    return b.toString();
  }

  /** Objects keyed "apiVersion/Kind/namespace/name", as parsed maps. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> objects(String yaml) {
    Map<String, Object> out = new TreeMap<>();
    for (String doc : yaml.split("(?m)^---\\s*$")) {
      if (doc.lines().noneMatch(l -> l.startsWith("kind:"))) {
        continue;
      }
      Map<String, Object> o = Serialization.unmarshal(doc, Map.class);
      Map<String, Object> meta = (Map<String, Object>) o.get("metadata");
      String key =
          o.get("apiVersion")
              + "/"
              + o.get("kind")
              + "/"
              + (meta.get("namespace") == null ? "" : meta.get("namespace"))
              + "/"
              + meta.get("name");
      if (out.put(key, o) != null) {
        throw new AssertionError("two objects named " + key);
      }
    }
    return out;
  }

  /** Equal object sets, or a message naming the objects and the first differing path in each. */
  static void assertSameObjects(
      Map<String, Object> expected, Map<String, Object> actual, String what) {
    List<String> problems = new ArrayList<>();
    for (String k : expected.keySet()) {
      if (!actual.containsKey(k)) {
        problems.add("missing " + k);
      } else {
        String d = firstDifference("", expected.get(k), actual.get(k));
        if (d != null) {
          problems.add(k + " differs at " + d);
        }
      }
    }
    actual.keySet().stream()
        .filter(k -> !expected.containsKey(k))
        .forEach(k -> problems.add("extra " + k));
    assertEquals(List.of(), problems, what);
  }

  @SuppressWarnings("unchecked")
  static String firstDifference(String path, Object a, Object b) {
    if (a instanceof Map && b instanceof Map) {
      Map<String, Object> x = (Map<String, Object>) a;
      Map<String, Object> y = (Map<String, Object>) b;
      for (String k :
          new TreeSet<>(
              Set.copyOf(Stream.concat(x.keySet().stream(), y.keySet().stream()).toList()))) {
        String d = firstDifference(path + "." + k, x.get(k), y.get(k));
        if (d != null) {
          return d;
        }
      }
      return null;
    }
    if (a instanceof List && b instanceof List && ((List<?>) a).size() == ((List<?>) b).size()) {
      for (int i = 0; i < ((List<?>) a).size(); i++) {
        String d =
            firstDifference(path + "[" + i + "]", ((List<?>) a).get(i), ((List<?>) b).get(i));
        if (d != null) {
          return d;
        }
      }
      return null;
    }
    if (a instanceof Number && b instanceof Number) {
      // kustomize re-spells 0.0 as 0: the same number.
      return new BigDecimal(a.toString()).compareTo(new BigDecimal(b.toString())) == 0
          ? null
          : path + ": " + a + " vs " + b;
    }
    return Objects.equals(a, b) ? null : path + ": " + a + " vs " + b;
  }
}
