package dev.slipway.controller.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The dashboard's answer to DNS rebinding: loopback names with its own port (the plugin's), or on
 * any port and the operator's hosts (the one in the cluster), in Host and in Origin.
 */
class HostPolicyTest {
  @Test
  void loopbackNamesWithTheDashboardsPortAreAnswered() {
    for (String host :
        new String[] {"127.0.0.1:3100", "localhost:3100", "LocalHost:3100", "[::1]:3100"}) {
      assertEquals(Optional.empty(), HostPolicy.loopback(3100).refusal(host, null), host);
      assertEquals(
          Optional.empty(), HostPolicy.loopback(3100).refusal(host, "http://" + host), host);
    }
    assertEquals(
        Optional.empty(),
        HostPolicy.loopback(80).refusal("localhost", null),
        "port 80: browsers omit it");
  }

  @Test
  void aForeignHostIsRefusedNamingIt() {
    String why = HostPolicy.loopback(3100).refusal("evil.example.com:3100", null).orElseThrow();
    assertTrue(why.contains("not Host \"evil.example.com:3100\""), why);
    for (String host :
        new String[] {
          "evil.example.com",
          "127.0.0.1",
          "127.0.0.1:3101",
          "127.0.0.2:3100",
          "localhost.evil.example.com:3100",
          "[::1]",
          "0.0.0.0:3100",
          "[::ffff:127.0.0.1]:3100",
          ""
        }) {
      assertTrue(HostPolicy.loopback(3100).refusal(host, null).isPresent(), host);
    }
    assertTrue(HostPolicy.loopback(3100).refusal(null, null).orElseThrow().contains("(none)"));
  }

  @Test
  void aForeignOriginIsRefusedEvenWithALoopbackHost() {
    for (String origin :
        new String[] {
          "http://evil.example.com",
          "http://evil.example.com:3100",
          "null",
          "https://localhost:3100",
          "http://localhost:3101",
          "file://"
        }) {
      String why = HostPolicy.loopback(3100).refusal("127.0.0.1:3100", origin).orElseThrow();
      assertTrue(why.contains("not Origin \"" + origin + "\""), why);
    }
  }

  @Test
  void whatIsEchoedIsBoundedAndPrintable() {
    String why = HostPolicy.loopback(3100).refusal("x".repeat(500) + "\u0007", null).orElseThrow();
    assertTrue(why.length() < 300 && !why.contains("\u0007"), why);
  }

  @Test
  void inTheClusterPortForwardOnAnyPortAndTheNamedHostsAreAnswered() {
    HostPolicy p = HostPolicy.forwardedOr(Set.of("Slipway.example.com"));
    for (String host :
        new String[] {
          "127.0.0.1:3100", "localhost:41234", "[::1]:80", "localhost", "slipway.example.com"
        }) {
      assertEquals(Optional.empty(), p.refusal(host, null), host);
    }
    assertEquals(Optional.empty(), p.refusal("slipway.example.com", "https://slipway.example.com"));
    assertEquals(Optional.empty(), p.refusal("localhost:41234", "http://localhost:41234"));
    for (String host :
        new String[] {
          "10.244.0.7:3100",
          "slipway-dashboard.slipway-system:3100",
          "evil.example.com",
          "localhost:x"
        }) {
      String why = p.refusal(host, null).orElseThrow();
      assertTrue(why.contains("(kubectl port-forward) or slipway.example.com"), why);
    }
    assertTrue(p.refusal("slipway.example.com", "https://evil.example.com").isPresent());
    assertTrue(p.refusal("localhost:3100", "https://localhost:3100").isPresent());
  }
}
