package dev.slipway.controller.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.controller.testing.MockCluster;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * kubectl's conventions: help everywhere, a version, one plain line for API errors, a fast failure
 * for an unreachable cluster.
 */
class CliConventionsTest {
  record Run(int exit, String out, String err, long millis) {}

  static Run run(String... args) {
    CommandLine cl = SlipwayCli.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    long t0 = System.nanoTime();
    int exit = SlipwayCli.run(cl, args);
    return new Run(exit, out.toString(), err.toString(), (System.nanoTime() - t0) / 1_000_000);
  }

  @Test
  void everySubcommandAnswersHelp() {
    List<List<String>> commands =
        List.of(
            List.of("get", "rollout"),
            List.of("list"),
            List.of("status"),
            List.of("pause"),
            List.of("resume"),
            List.of("promote"),
            List.of("abort"),
            List.of("retry"),
            List.of("undo"),
            List.of("evidence", "export"),
            List.of("evidence", "verify"),
            List.of("evidence", "public-key"),
            List.of("dora"),
            List.of("version"));
    for (List<String> c : commands) {
      for (String flag : List.of("--help", "-h")) {
        String[] args = Stream.concat(c.stream(), Stream.of(flag)).toArray(String[]::new);
        Run r = run(args);
        assertEquals(0, r.exit(), String.join(" ", args) + ": " + r.err());
        assertTrue(
            r.out().startsWith("Usage: kubectl-slipway " + String.join(" ", c)),
            String.join(" ", args) + ": " + r.out());
      }
    }
  }

  @Test
  void versionNeedsNoClusterWithClient() {
    Run r = run("version", "--client");
    assertEquals(0, r.exit());
    assertEquals("Client Version: slipway " + VersionCommand.CLIENT, r.out().strip());
  }

  @Test
  void anUnreachableClusterFailsFastNamingTheCause() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    Run r =
        run(
            "list",
            "--kubeconfig",
            TestKubeconfig.pointingAt("https://127.0.0.1:" + closed).toString());
    System.out.println(
        "unreachable cluster: exit "
            + r.exit()
            + " after "
            + r.millis()
            + " ms: "
            + r.err().strip());
    assertEquals(2, r.exit());
    assertTrue(r.millis() < 3_000, "within 3 s: " + r.millis() + " ms");
    assertTrue(
        r.err().startsWith("error: cannot reach the cluster: connection refused")
            && r.err().strip().lines().count() == 1,
        r.err());
  }

  @Test
  void aMissingRolloutIsOnePlainLine() throws Exception {
    try (MockCluster m = new MockCluster()) {
      Path kc = TestKubeconfig.pointingAt(m.client.getMasterUrl().toString());
      Run r = run("abort", "nope", "--kubeconfig", kc.toString());
      System.out.println("abort of a missing Rollout: exit " + r.exit() + ": " + r.err().strip());
      assertEquals(2, r.exit());
      assertEquals(1, r.err().strip().lines().count(), r.err());
      assertTrue(
          r.err().startsWith("error: ") && r.err().contains("nope") && !r.err().contains("Status("),
          r.err());
    }
  }
}
