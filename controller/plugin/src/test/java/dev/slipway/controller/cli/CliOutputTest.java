package dev.slipway.controller.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slipway.api.v1alpha1.RevisionState;
import dev.slipway.api.v1alpha1.Rollout;
import dev.slipway.api.v1alpha1.RolloutStatus;
import dev.slipway.controller.testing.MockCluster;
import dev.slipway.controller.testing.TestRollouts;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * kubectl's output conventions: -o name|wide|jsonpath, --no-headers, global flags before the
 * subcommand, --as.
 */
class CliOutputTest {
  static CliConventionsTest.Run run(String... args) {
    return CliConventionsTest.run(args);
  }

  static Path cluster(MockCluster m) throws Exception {
    for (String name : List.of("api", "web")) {
      Rollout r = TestRollouts.withName(TestRollouts.spec(2, "app:1"), name, "shop");
      RolloutStatus.Builder s = RolloutStatus.empty().toBuilder();
      s.state = RevisionState.Paused;
      s.step = "2/3";
      s.currentStepIndex = 1;
      s.verifiedWeight = 20;
      s.desiredWeight = 20;
      s.stableRevision = "aaaa111111";
      s.canaryRevision = "bbbb222222";
      s.message = "step 2/3: paused until resumed";
      r.setStatus(s.build());
      m.client.resource(r).create();
    }
    return TestKubeconfig.pointingAt(m.client.getMasterUrl().toString());
  }

  @Test
  void tablesNamesAndJsonpathAsKubectlPrintsThem() throws Exception {
    try (MockCluster m = new MockCluster()) {
      String kc = cluster(m).toString();
      var table = run("list", "-n", "shop", "--kubeconfig", kc);
      assertEquals(0, table.exit(), table.err());
      assertTrue(table.out().startsWith("NAMESPACE"), table.out());
      assertTrue(table.out().contains("2/3"), "steps count from 1: " + table.out());

      var bare = run("list", "-n", "shop", "--no-headers", "--kubeconfig", kc);
      assertEquals(2, bare.out().strip().lines().count(), bare.out());
      assertTrue(bare.out().lines().allMatch(l -> l.startsWith("shop ")), bare.out());

      var wide = run("list", "-n", "shop", "-o", "wide", "--kubeconfig", kc);
      assertTrue(
          wide.out().lines().findFirst().orElseThrow().contains("STABLE")
              && wide.out().contains("bbbb222222"),
          wide.out());

      assertEquals(
          "rollout.slipway.dev/api\nrollout.slipway.dev/web\n",
          run("list", "-n", "shop", "-o", "name", "--kubeconfig", kc).out());
      assertEquals(
          "rollout.slipway.dev/web\n",
          run("get", "rollout", "web", "-n", "shop", "-o", "name", "--kubeconfig", kc).out());

      assertEquals(
          "api web\n",
          run("list", "-n", "shop", "-o", "jsonpath={.items[*].metadata.name}", "--kubeconfig", kc)
              .out());
      assertEquals(
          "api=20\nweb=20\n",
          run(
                  "list",
                  "-n",
                  "shop",
                  "-o",
                  "jsonpath={range .items[*]}{.metadata.name}={.status.verifiedWeight}{\"\\n\"}{end}",
                  "--kubeconfig",
                  kc)
              .out());
      assertEquals(
          "Paused\n",
          run(
                  "get",
                  "rollout",
                  "web",
                  "-n",
                  "shop",
                  "-o",
                  "jsonpath={.status.state}",
                  "--kubeconfig",
                  kc)
              .out());
    }
  }

  @Test
  void globalFlagsMayComeBeforeTheSubcommand() throws Exception {
    try (MockCluster m = new MockCluster()) {
      String kc = cluster(m).toString();
      var r = run("-n", "shop", "--kubeconfig", kc, "list", "-o", "name");
      assertEquals(0, r.exit(), r.err());
      assertEquals(2, r.out().lines().count(), r.out());
      assertEquals(
          "rollout.slipway.dev/web\n",
          run("--namespace=shop", "--kubeconfig=" + kc, "get", "rollout", "web", "-o", "name")
              .out());
      assertEquals(
          List.of("get", "rollout", "web", "-nshop"),
          List.of(GlobalFlags.normalize(new String[] {"-nshop", "get", "rollout", "web"})));
      assertEquals(
          List.of("evidence", "export", "web", "-n", "shop", "--", "-x"),
          List.of(
              GlobalFlags.normalize(
                  new String[] {"-n", "shop", "evidence", "export", "web", "--", "-x"})));
    }
  }

  @Test
  void impersonationIsSentAsKubectlSendsIt() throws Exception {
    try (MockCluster m = new MockCluster()) {
      String kc = cluster(m).toString();
      run(
          "list",
          "-n",
          "shop",
          "--as",
          "alice",
          "--as-group",
          "release",
          "--as-group",
          "oncall",
          "--kubeconfig",
          kc);
      var seen = new ArrayList<RecordedRequest>();
      for (int i = 0, n = m.server.getRequestCount(); i < n; i++) seen.add(m.server.takeRequest());
      var last = seen.get(seen.size() - 1);
      assertEquals("alice", last.getHeader("Impersonate-User"));
      // The mock server keeps one value per header; PluginE2ETest proves both groups reach a real
      // API server.
      assertTrue(
          !last.getHeaders().headers("Impersonate-Group").isEmpty(),
          last.getHeaders().toMultimap().toString());
      var refused = run("list", "-n", "shop", "--as-group", "release", "--kubeconfig", kc);
      assertEquals(2, refused.exit());
      assertTrue(refused.err().contains("--as-group needs --as"), refused.err());
    }
  }

  @Test
  void jsonpathCoversFiltersIndexesAndQuotedKeys() throws Exception {
    JsonNode n =
        new ObjectMapper()
            .readTree(
                """
        {"status":{"conditions":[{"type":"Progressing","status":"True"},{"type":"Paused","status":"False"}]},
         "metadata":{"annotations":{"slipway.dev/author":"alice"}},"items":[1,2,3]}""");
    assertEquals(
        "False",
        new JsonPathTemplate("{.status.conditions[?(@.type==\"Paused\")].status}").render(n));
    assertEquals("Progressing", new JsonPathTemplate("{.status.conditions[0].type}").render(n));
    assertEquals("3", new JsonPathTemplate("{.items[-1]}").render(n));
    assertEquals(
        "alice", new JsonPathTemplate("{.metadata.annotations['slipway.dev/author']}").render(n));
    assertEquals(
        "by alice.",
        new JsonPathTemplate("by {.metadata.annotations['slipway.dev/author']}.").render(n));
    assertEquals("", new JsonPathTemplate("{.nothing.here}").render(n));
  }
}
