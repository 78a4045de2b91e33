package dev.slipway.samples.argocd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.slipway.testing.Proc;
import dev.slipway.testing.TestTime;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The Application's ignoreDifferences, run the way Argo CD runs it (del(expression), here in real
 * jq; Argo CD uses gojq) over a live route: it must remove exactly the stable and canary weights of
 * the managed rule, and leave every other field, the third backend's weight and the other rules'.
 */
@Tag("host-tools")
class ArgoCdIgnoreDifferencesTest {
  static final ObjectMapper JSON = new ObjectMapper();

  /** The shipped Application's ignoreDifferences entries. */
  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> ignoreDifferences() throws Exception {
    Map<String, Object> app =
        Serialization.unmarshal(Files.readString(Path.of("argocd/application.yaml")), Map.class);
    return (List<Map<String, Object>>)
        ((Map<String, Object>) app.get("spec")).get("ignoreDifferences");
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
    assertEquals(
        expected, normalized, "only the stable and canary weights of rule main are ignored");
  }

  @Test
  void ignoresASegmentRuleAndAMirrorOnlyWhileTheyAreSlipways() throws Exception {
    @SuppressWarnings("unchecked")
    List<String> expressions = (List<String>) ignoreDifferences().get(0).get("jqPathExpressions");
    JsonNode withFilter = JSON.readTree(Path.of("argocd/testdata/route-live.json").toFile());
    ObjectNode withoutFilter = withFilter.deepCopy();
    ((ObjectNode) withoutFilter.get("spec").get("rules").get(0)).remove("filters");
    for (JsonNode git : List.of(withFilter, withoutFilter)) {
      ObjectNode live = git.deepCopy();
      var rules = (ArrayNode) live.get("spec").get("rules");
      ObjectNode main = (ObjectNode) rules.get(0);
      ObjectNode segment = main.deepCopy();
      segment.put("name", "slipway-checkout-segment-0");
      rules.insert(0, segment);
      var filters =
          main.has("filters") ? (ArrayNode) main.get("filters") : main.putArray("filters");
      filters.add(
          JSON.readTree(
              """
          {"type": "RequestMirror", "requestMirror": {"backendRef": {"name": "checkout-canary", "port": 80}, "percent": 10}}"""));
      JsonNode normalized = live;
      for (String e : expressions) normalized = jq("del(" + e + ")", normalized);
      JsonNode expected = git;
      for (String e : expressions) expected = jq("del(" + e + ")", expected);
      assertEquals(
          expected, normalized, "the segment rule and the mirror, Slipway's only, are ignored");
    }
    JsonNode git = withFilter;

    // A mirror of someone else's, or a filter beside ours, is still compared.
    ObjectNode mixed = git.deepCopy();
    ((ObjectNode) mixed.get("spec").get("rules").get(0))
        .set(
            "filters",
            JSON.readTree(
                """
        [{"type": "RequestHeaderModifier", "requestHeaderModifier": {"add": [{"name": "X-A", "value": "1"}]}},
         {"type": "RequestMirror", "requestMirror": {"backendRef": {"name": "checkout-canary", "port": 80}, "percent": 10}},
         {"type": "RequestMirror", "requestMirror": {"backendRef": {"name": "audit", "port": 80}}}]"""));
    JsonNode kept = mixed;
    for (String e : expressions) kept = jq("del(" + e + ")", kept);
    assertEquals(
        JSON.readTree(
            """
        [{"type": "RequestHeaderModifier", "requestHeaderModifier": {"add": [{"name": "X-A", "value": "1"}]}},
         {"type": "RequestMirror", "requestMirror": {"backendRef": {"name": "audit", "port": 80}}}]"""),
        kept.get("spec").get("rules").get(0).get("filters"));
  }

  @Test
  void ignoresOnlySlipwaysKeyInAServiceSelector() throws Exception {
    var ignore = ignoreDifferences();
    assertEquals("Service", ignore.get(1).get("kind"));
    @SuppressWarnings("unchecked")
    List<String> expressions = (List<String>) ignore.get(1).get("jqPathExpressions");
    JsonNode live =
        JSON.readTree(
            """
        {"spec": {"selector": {"app": "checkout", "slipway.dev/pod-template-hash": "abc123"}, "ports": [{"port": 80}]}}""");
    JsonNode normalized = live;
    for (String e : expressions) normalized = jq("del(" + e + ")", normalized);
    assertEquals(
        JSON.readTree(
            """
        {"spec": {"selector": {"app": "checkout"}, "ports": [{"port": 80}]}}"""),
        normalized);
  }

  static JsonNode jq(String program, JsonNode input) throws Exception {
    Proc.Result r =
        Proc.of("jq", "-c", program)
            .stdin(JSON.writeValueAsString(input))
            .separateStderr()
            .timeout(TestTime.of(Duration.ofSeconds(20)))
            .run();
    if (!r.ok()) throw new AssertionError(r.describe());
    return JSON.readTree(r.out());
  }
}
