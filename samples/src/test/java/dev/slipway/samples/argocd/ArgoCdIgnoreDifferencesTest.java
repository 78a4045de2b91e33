package dev.slipway.samples.argocd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The Application's ignoreDifferences, run the way Argo CD runs it (del(expression), here in real
 * jq; Argo CD uses gojq) over a live route: it must remove exactly the stable and canary weights of
 * the managed rule, and leave every other field, the third backend's weight and the other rules'.
 */
class ArgoCdIgnoreDifferencesTest {
  static final ObjectMapper JSON = new ObjectMapper();

  /** The shipped Application's ignoreDifferences entries. */
  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> ignoreDifferences() throws Exception {
    Map<String, Object> app = Serialization.unmarshal(Files.readString(Path.of("argocd/application.yaml")), Map.class);
    return (List<Map<String, Object>>) ((Map<String, Object>) app.get("spec")).get("ignoreDifferences");
  }

  @Test
  void ignoresExactlyTheWeightsSlipwayWrites() throws Exception {
    var ignore = ignoreDifferences();
    assertEquals(2, ignore.size());
    assertEquals("HTTPRoute", ignore.get(0).get("kind"));
    @SuppressWarnings("unchecked")
    List<String> expressions = (List<String>) ignore.get(0).get("jqPathExpressions");
    Path live = Path.of("argocd/testdata/route-live.json");

    JsonNode normalized = JSON.readTree(live.toFile());
    for (String e : expressions) {
      normalized = jq("del(" + e + ")", normalized);
    }

    JsonNode expected = JSON.readTree(live.toFile());
    var main = expected.get("spec").get("rules").get(0).get("backendRefs");
    ((ObjectNode) main.get(0)).remove("weight");
    ((ObjectNode) main.get(1)).remove("weight");
    assertEquals(expected, normalized, "only the stable and canary weights of rule main are ignored");
  }

  @Test
  void ignoresOnlySlipwaysKeyInAServiceSelector() throws Exception {
    var ignore = ignoreDifferences();
    assertEquals("Service", ignore.get(1).get("kind"));
    @SuppressWarnings("unchecked")
    List<String> expressions = (List<String>) ignore.get(1).get("jqPathExpressions");
    JsonNode live = JSON.readTree("""
        {"spec": {"selector": {"app": "checkout", "slipway.dev/pod-template-hash": "abc123"}, "ports": [{"port": 80}]}}""");
    JsonNode normalized = live;
    for (String e : expressions) normalized = jq("del(" + e + ")", normalized);
    assertEquals(JSON.readTree("""
        {"spec": {"selector": {"app": "checkout"}, "ports": [{"port": 80}]}}"""), normalized);
  }

  static JsonNode jq(String program, JsonNode input) throws Exception {
    Process p = new ProcessBuilder("jq", "-c", program).start();
    p.getOutputStream().write(JSON.writeValueAsBytes(input));
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) throw new AssertionError("jq " + program + " failed: " + err);
    return JSON.readTree(out);
  }
}
