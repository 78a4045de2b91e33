package dev.slipway.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The field reference in docs/reference/ is the committed CRDs' schema and descriptions, as a table
 * per kind: it cannot drift from what the API server enforces. Regenerated with the CRDs: mvn -pl
 * crds test -Dslipway.updateCrds=true.
 */
class ReferenceDocsTest {
  static final Path DOCS = Path.of("../docs/reference");

  @Test
  void theReferenceIsTheCrdsDescriptions() throws IOException {
    for (String plural : List.of("rollouts", "analysistemplates", "rolloutrecords", "releases")) {
      Path crd = Path.of(plural + ".slipway.dev.yaml");
      String want = reference(Files.readString(crd));
      Path doc = DOCS.resolve(plural + ".md");
      if (System.getProperty("slipway.updateCrds") != null) {
        Files.createDirectories(DOCS);
        Files.writeString(doc, want);
      }
      assertEquals(
          want,
          Files.exists(doc) ? Files.readString(doc) : "",
          doc + " drifted from " + crd + ": run mvn -pl crds test -Dslipway.updateCrds=true");
    }
  }

  @SuppressWarnings("unchecked")
  static String reference(String crdYaml) {
    Map<String, Object> crd = Serialization.unmarshal(crdYaml, Map.class);
    Map<String, Object> spec = (Map<String, Object>) crd.get("spec");
    String kind = (String) ((Map<String, Object>) spec.get("names")).get("kind");
    Map<String, Object> version = ((List<Map<String, Object>>) spec.get("versions")).get(0);
    Map<String, Object> schema =
        (Map<String, Object>) ((Map<String, Object>) version.get("schema")).get("openAPIV3Schema");
    StringBuilder out = new StringBuilder();
    out.append("# ")
        .append(kind)
        .append(" (")
        .append(spec.get("group"))
        .append('/')
        .append(version.get("name"))
        .append(")\n\n")
        .append(
            "Generated from `crds/"
                + crd.get("metadata").toString().replaceAll(".*name=([^,}]+).*", "$1")
                + ".yaml` (the CRD's schema and descriptions) by `ReferenceDocsTest`; do not edit.\n"
                + "Validation rules (CEL) are listed under the field that carries them.\n\n")
        .append("| Field | Type | Description |\n|---|---|---|\n");
    Map<String, Object> props = (Map<String, Object>) schema.get("properties");
    for (String top : List.of("spec", "status")) {
      if (props != null && props.containsKey(top)) {
        walk(top, (Map<String, Object>) props.get(top), List.of(), out);
      }
    }
    return out.toString();
  }

  /** 1.0 as 1: YAML's integers come back as doubles. */
  static String plain(Object v) {
    return v instanceof Double d && d == Math.rint(d)
        ? Long.toString(d.longValue())
        : String.valueOf(v);
  }

  @SuppressWarnings("unchecked")
  static void walk(
      String path, Map<String, Object> node, List<String> required, StringBuilder out) {
    String type = String.valueOf(node.getOrDefault("type", "object"));
    Map<String, Object> items = (Map<String, Object>) node.get("items");
    if ("array".equals(type) && items != null) {
      type = "[]" + items.getOrDefault("type", "object");
    }
    String name = path.substring(path.lastIndexOf('.') + 1);
    StringBuilder desc = new StringBuilder();
    if (required.contains(name.replace("[]", ""))) desc.append("**Required.** ");
    if (node.get("description") != null) desc.append(node.get("description"));
    for (String k :
        List.of("minimum", "maximum", "minLength", "maxLength", "maxItems", "pattern")) {
      if (node.get(k) != null)
        desc.append(" `").append(k).append(": ").append(node.get(k)).append('`');
    }
    if (node.get("enum") != null) desc.append(" One of: `").append(node.get("enum")).append("`.");
    List<Map<String, Object>> rules =
        (List<Map<String, Object>>) node.get("x-kubernetes-validations");
    if (rules != null) {
      for (Map<String, Object> r : rules)
        desc.append(" Rule: ").append(r.get("message")).append('.');
    }
    out.append("| `")
        .append(path)
        .append("` | ")
        .append(type)
        .append(" | ")
        .append(desc.toString().strip().replace("|", "\\|").replace("\n", " "))
        .append(" |\n");
    Map<String, Object> children =
        (Map<String, Object>)
            (items != null && items.get("properties") != null
                ? items.get("properties")
                : node.get("properties"));
    List<String> req =
        (List<String>)
            (items != null && items.get("required") != null
                ? items.get("required")
                : node.getOrDefault("required", List.of()));
    if (children == null) return;
    String prefix = path + (items != null ? "[]" : "");
    children.forEach((k, v) -> walk(prefix + "." + k, (Map<String, Object>) v, req, out));
  }
}
