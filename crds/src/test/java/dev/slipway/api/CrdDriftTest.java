package dev.slipway.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.api.v1alpha1.CrdFinisher;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The committed CRDs, and the Helm chart's copies of them, are exactly what the Java model
 * generates.
 */
class CrdDriftTest {
  /** Every CRD we ship, by plural name. */
  static final List<String> CRDS =
      List.of("rollouts", "analysistemplates", "rolloutrecords", "releases");

  static final String HEADER =
      "# Generated from the Java model in crds/src/main/java by the fabric8 CRD generator.\n"
          + "# Do not edit: change the model, then run: mvn -pl crds test -Dslipway.updateCrds=true\n";

  static String expected(String plural) throws IOException {
    @SuppressWarnings("unchecked")
    Map<String, Object> crd =
        Serialization.unmarshal(
            Files.readString(
                Path.of("target/classes/META-INF/fabric8/" + plural + ".slipway.dev-v1.yml")),
            Map.class);
    CrdFinisher.finish(crd);
    return HEADER + Serialization.asYaml(crd);
  }

  /**
   * The chart renders the CRDs from its files/crds/ (templates/crds.yaml: installCRDs, keepCRDs),
   * so it carries copies.
   */
  static final Path CHART_CRDS = Path.of("../samples/install/helm/slipway/files/crds");

  @Test
  void committedCrdsMatchTheModel() throws IOException {
    for (String plural : CRDS) {
      String expected = expected(plural);
      for (Path committed :
          List.of(
              Path.of(plural + ".slipway.dev.yaml"),
              CHART_CRDS.resolve(plural + ".slipway.dev.yaml"))) {
        if (System.getProperty("slipway.updateCrds") != null) {
          Files.createDirectories(committed.toAbsolutePath().getParent());
          Files.writeString(committed, expected);
        }
        assertTrue(
            Files.exists(committed),
            "missing " + committed + ": run mvn -pl crds test -Dslipway.updateCrds=true");
        assertEquals(
            expected,
            Files.readString(committed),
            committed
                + " drifted from the Java model: run mvn -pl crds test -Dslipway.updateCrds=true and commit");
      }
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void everyFieldHasADescription() throws IOException {
    for (String plural : CRDS) {
      Map<String, Object> crd =
          Serialization.unmarshal(expected(plural).substring(HEADER.length()), Map.class);
      Map<String, Object> version =
          ((List<Map<String, Object>>) ((Map<String, Object>) crd.get("spec")).get("versions"))
              .get(0);
      Map<String, Object> schema =
          (Map<String, Object>)
              ((Map<String, Object>) version.get("schema")).get("openAPIV3Schema");
      List<String> missing = new ArrayList<>();
      walk("", schema, missing);
      assertEquals(List.of(), missing, plural + ": fields without a description");
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void printerColumnsKeepDeclarationOrder() throws IOException {
    Map<String, Object> crd =
        Serialization.unmarshal(expected("rollouts").substring(HEADER.length()), Map.class);
    Map<String, Object> version =
        ((List<Map<String, Object>>) ((Map<String, Object>) crd.get("spec")).get("versions"))
            .get(0);
    List<String> names =
        ((List<Map<String, Object>>) version.get("additionalPrinterColumns"))
            .stream().map(c -> (String) c.get("name")).toList();
    assertEquals(
        List.of("Phase", "State", "Step", "Weight", "Stable", "Canary", "Updated", "Age"), names);
    Map<String, Object> sub = (Map<String, Object>) version.get("subresources");
    assertTrue(
        sub.containsKey("status") && sub.containsKey("scale"), "status and scale subresources");
  }

  @SuppressWarnings("unchecked")
  private static void walk(String path, Map<String, Object> node, List<String> missing) {
    Map<String, Object> props = (Map<String, Object>) node.get("properties");
    if (props != null) {
      for (Map.Entry<String, Object> e : props.entrySet()) {
        Map<String, Object> child = (Map<String, Object>) e.getValue();
        String p = path + "." + e.getKey();
        if (!child.containsKey("description") && !path.isEmpty()
            || (path.isEmpty()
                && !e.getKey().equals("apiVersion")
                && !e.getKey().equals("kind")
                && !e.getKey().equals("metadata")
                && !child.containsKey("description"))) {
          missing.add(p);
        }
        walk(p, child, missing);
      }
    }
    Map<String, Object> items = (Map<String, Object>) node.get("items");
    if (items != null) {
      walk(path + "[]", items, missing);
    }
  }
}
