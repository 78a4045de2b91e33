package dev.slipway.analysis.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** A Job's log as the evidence keeps it: its last lines, bounded, without credentials. */
class LogTailTest {

  @Test
  void keepsTheLastLinesWithoutTrailingBlankOnes() {
    assertEquals("c\nd", LogTail.of("a\nb\nc\nd\n\n", 2));
    assertEquals("", LogTail.of("a", 0));
    assertEquals("", LogTail.of(null, 5));
  }

  @Test
  void hidesCredentialsAndControlCharacters() {
    String log =
        String.join(
            "\n",
            "GET http://shop-canary:8080/ -> 200",
            "API_TOKEN=abc123def password: hunter2 \"client_secret\": \"s3cr3t\"",
            "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.payload.sig",
            "fetching https://admin:pa55@registry.example/v2/",
            "\u001b[31mred\u001b[0m\u202e done");
    String tail = LogTail.of(log, 10);
    for (String leaked :
        new String[] {"abc123def", "hunter2", "s3cr3t", "eyJhbGci", "pa55", "\u001b", "\u202e"}) {
      assertFalse(tail.contains(leaked), leaked + " leaked into " + tail);
    }
    assertTrue(tail.contains("GET http://shop-canary:8080/ -> 200"), tail);
    assertTrue(tail.contains("API_TOKEN=[redacted]"), tail);
    assertTrue(tail.contains("https://[redacted]@registry.example/v2/"), tail);
  }

  @Test
  void staysWithinItsBoundWhateverTheLog() {
    String tail = LogTail.of(("x".repeat(100) + "\n").repeat(500), 200);
    assertTrue(tail.length() <= LogTail.MAX_CHARS, "" + tail.length());
    String one = LogTail.of("y".repeat(100_000), 5);
    assertEquals(LogTail.MAX_CHARS, one.length());
    assertTrue(one.startsWith("…"));
  }
}
