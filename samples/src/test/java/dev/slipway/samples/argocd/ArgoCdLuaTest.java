package dev.slipway.samples.argocd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Argo CD scripts, run by a real Lua 5.1 against Rollouts captured from an e2e run (one per
 * phase; refresh with mvn -pl e2e verify -Dtest=PluginE2ETest -Dslipway.updateArgoFixtures=true).
 */
@Tag("host-tools")
class ArgoCdLuaTest {
  static final Path DIR = Path.of("argocd");
  static final ObjectMapper JSON = new ObjectMapper();

  @BeforeAll
  static void lua() {
    LuaScripts.requireLua();
  }

  static JsonNode fixture(String name) throws Exception {
    return JSON.readTree(Files.readString(DIR.resolve("testdata/" + name + ".json")));
  }

  /** The healthy fixture with a spec change the controller has not seen yet. */
  static JsonNode unobserved() throws Exception {
    ObjectNode o = (ObjectNode) fixture("healthy").deepCopy();
    ObjectNode meta = (ObjectNode) o.get("metadata");
    meta.put("generation", meta.get("generation").asLong() + 1);
    return o;
  }

  static Stream<Arguments> health() {
    return Stream.of(
        Arguments.of("healthy", "Healthy", "revision ld9f459bpv is stable"),
        Arguments.of(
            "progressing",
            "Progressing",
            "waiting for 1 ready canary pod(s) of psd5mgkhls (0 ready)"),
        Arguments.of("paused", "Suspended", "paused: step 2/5: paused until resumed"),
        Arguments.of(
            "degraded",
            "Degraded",
            "rolled back: aborted by admin; traffic on stable psd5mgkhls, canary scaled down"));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("health")
  void healthForEveryPhase(String fixture, String status, String message) throws Exception {
    JsonNode hs = LuaScripts.run(DIR.resolve("health.lua"), fixture(fixture));
    assertEquals(status, hs.get("status").asText());
    assertEquals(message, hs.get("message").asText());
  }

  @Test
  void progressingUntilTheControllerHasSeenTheSpec() throws Exception {
    JsonNode o = unobserved();
    JsonNode hs = LuaScripts.run(DIR.resolve("health.lua"), o);
    assertEquals("Progressing", hs.get("status").asText());
    assertEquals(
        "Waiting for the Slipway controller to observe generation "
            + o.get("metadata").get("generation").asLong(),
        hs.get("message").asText());
    ObjectNode noStatus = (ObjectNode) o.deepCopy();
    noStatus.remove("status");
    assertEquals(
        "Progressing", LuaScripts.run(DIR.resolve("health.lua"), noStatus).get("status").asText());
  }

  /**
   * The opt-out from Suspended, so a person's pause does not hold up sync waves; only the exact
   * value counts.
   */
  @Test
  void aPausedRolloutMayReportHealthyWhenItSaysSo() throws Exception {
    ObjectNode o = (ObjectNode) fixture("paused").deepCopy();
    ObjectNode annotations = ((ObjectNode) o.get("metadata")).putObject("annotations");
    annotations.put("slipway.dev/argocd-paused-health", "Healthy");
    JsonNode hs = LuaScripts.run(DIR.resolve("health.lua"), o);
    assertEquals("Healthy", hs.get("status").asText());
    assertEquals(
        "paused, reported Healthy (slipway.dev/argocd-paused-health): paused: step 2/5: paused until resumed",
        hs.get("message").asText());
    annotations.put("slipway.dev/argocd-paused-health", "healthy");
    assertEquals("Suspended", LuaScripts.run(DIR.resolve("health.lua"), o).get("status").asText());
    JsonNode degraded = fixture("degraded").deepCopy();
    ((ObjectNode) degraded.get("metadata"))
        .putObject("annotations")
        .put("slipway.dev/argocd-paused-health", "Healthy");
    assertEquals(
        "Degraded",
        LuaScripts.run(DIR.resolve("health.lua"), degraded).get("status").asText(),
        "only a pause is affected");
  }

  static Stream<Arguments> discovery() {
    return Stream.of(
        Arguments.of("healthy", List.of("restart")),
        Arguments.of(
            "progressing", List.of("abort", "pause", "promote", "promote-full", "restart")),
        Arguments.of("paused", List.of("abort", "promote", "promote-full", "restart", "resume")),
        Arguments.of("degraded", List.of("restart", "retry")));
  }

  @ParameterizedTest(name = "{0} offers {1}")
  @MethodSource("discovery")
  void actionsAreEnabledOnlyWhereTheyMakeSense(String fixture, List<String> enabled)
      throws Exception {
    JsonNode actions = LuaScripts.run(DIR.resolve("actions/discovery.lua"), fixture(fixture));
    TreeSet<String> on = new TreeSet<>();
    Iterator<Map.Entry<String, JsonNode>> it = actions.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!e.getValue().get("disabled").asBoolean()) on.add(e.getKey());
    }
    assertEquals(new TreeSet<>(enabled), on);
    assertEquals(7, actions.size(), "every action is listed, enabled or not");
  }

  static Stream<Arguments> actions() {
    return Stream.of(
        Arguments.of("pause", "Pause"),
        Arguments.of("resume", "Resume"),
        Arguments.of("promote", "Promote"),
        Arguments.of("promote-full", "PromoteFull"),
        Arguments.of("abort", "Abort"),
        Arguments.of("retry", "Retry"),
        Arguments.of("restart", "Restart"));
  }

  /**
   * Each action changes exactly status.request, to what the one-liner of docs/kubectl.md writes: no
   * requestedBy, since Argo CD does not tell a Lua action who clicked (an invented name would be
   * refused by the slipway-requested-by policy).
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("actions")
  void eachActionMakesExactlyTheOneLinersChange(String action, String request) throws Exception {
    for (String fixture : List.of("healthy", "progressing", "paused", "degraded")) {
      JsonNode before = fixture(fixture);
      JsonNode after = LuaScripts.run(DIR.resolve("actions/" + action + "/action.lua"), before);
      assertEquals(
          JSON.readTree("{\"action\":\"" + request + "\"}"), after.get("status").get("request"));
      ObjectNode rest = (ObjectNode) after.deepCopy();
      ((ObjectNode) rest.get("status")).remove("request");
      assertEquals(
          normalize(before),
          normalize(rest),
          action + " on " + fixture + " changed more than status.request");
    }
  }

  /** Lua has one table type: an empty list and an empty object come back alike; so do 1 and 1.0. */
  static JsonNode normalize(JsonNode n) {
    if (n.isObject()) {
      ObjectNode o = JSON.createObjectNode();
      n.fields()
          .forEachRemaining(
              e -> {
                JsonNode v = normalize(e.getValue());
                if (!(v.isContainerNode() && v.isEmpty()) && !v.isNull()) o.set(e.getKey(), v);
              });
      return o;
    }
    if (n.isArray()) {
      var a = JSON.createArrayNode();
      n.forEach(e -> a.add(normalize(e)));
      return a;
    }
    if (n.isNumber())
      return JSON.getNodeFactory().numberNode(n.decimalValue().stripTrailingZeros());
    return n;
  }
}
