package dev.slipway.controller.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The dashboard's answer to DNS rebinding: loopback names with its own port, in Host and in Origin.
 */
class LoopbackOnlyTest {
  @Test
  void loopbackNamesWithTheDashboardsPortAreAnswered() {
    for (String host :
        new String[] {"127.0.0.1:3100", "localhost:3100", "LocalHost:3100", "[::1]:3100"}) {
      assertEquals(Optional.empty(), LoopbackOnly.refusal(host, null, 3100), host);
      assertEquals(Optional.empty(), LoopbackOnly.refusal(host, "http://" + host, 3100), host);
    }
    assertEquals(
        Optional.empty(), LoopbackOnly.refusal("localhost", null, 80), "port 80: browsers omit it");
  }

  @Test
  void aForeignHostIsRefusedNamingIt() {
    String why = LoopbackOnly.refusal("evil.example.com:3100", null, 3100).orElseThrow();
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
      assertTrue(LoopbackOnly.refusal(host, null, 3100).isPresent(), host);
    }
    assertTrue(LoopbackOnly.refusal(null, null, 3100).orElseThrow().contains("(none)"));
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
      String why = LoopbackOnly.refusal("127.0.0.1:3100", origin, 3100).orElseThrow();
      assertTrue(why.contains("not Origin \"" + origin + "\""), why);
    }
  }

  @Test
  void whatIsEchoedIsBoundedAndPrintable() {
    String why = LoopbackOnly.refusal("x".repeat(500) + "\u0007", null, 3100).orElseThrow();
    assertTrue(why.length() < 300 && !why.contains("\u0007"), why);
  }
}
