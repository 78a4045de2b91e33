package dev.slipway.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The harness's process runner: its timeout fires whatever the child does, and kills the whole
 * tree.
 */
class ProcTest {
  @Test
  void aHungChildFailsAtItsTimeoutAndItsWholeTreeIsKilled() throws Exception {
    // bash starts a grandchild and prints its pid, then waits for it: a tree that never exits.
    Proc.Result r =
        Proc.of("bash", "-c", "sleep 3600 & echo $!; wait").timeout(Duration.ofSeconds(2)).run();
    System.out.printf("sleep 3600 under a 2 s timeout: %s%n", r.describe());
    assertTrue(r.timedOut(), r.describe());
    assertFalse(r.ok());
    assertEquals(-1, r.exit());
    assertTrue(r.took().compareTo(Duration.ofSeconds(2)) >= 0, "not before its time: " + r.took());
    assertTrue(
        r.took().compareTo(TestTime.of(Duration.ofSeconds(6))) < 0,
        "about 2 s, not the child's hour: " + r.took());
    // The first line: bash may live long enough to report its child's death on the next.
    long grandchild = Long.parseLong(r.out().strip().lines().findFirst().orElseThrow().strip());
    long deadline = System.nanoTime() + TestTime.of(Duration.ofSeconds(5)).toNanos();
    while (running(grandchild) && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertFalse(running(grandchild), "the grandchild sleep was killed too");
  }

  /** Alive and not a zombie (a killed orphan waits for its new parent to reap it). */
  static boolean running(long pid) throws Exception {
    Path stat = Path.of("/proc", Long.toString(pid), "stat");
    if (!Files.exists(stat)) return false;
    String s = Files.readString(stat);
    return s.charAt(s.lastIndexOf(')') + 2) != 'Z';
  }

  @Test
  void outputLargerThanAPipeIsReadWhileTheChildRuns() {
    Proc.Result r =
        Proc.of("bash", "-c", "head -c 300000 /dev/zero | tr '\\0' a; echo oops >&2; exit 3")
            .separateStderr()
            .timeout(TestTime.of(Duration.ofSeconds(20)))
            .run();
    assertEquals(3, r.exit());
    assertEquals(300_000, r.out().length());
    assertEquals("oops", r.err().strip());
    assertTrue(r.describe().contains("exited 3"), r.describe());
  }

  @Test
  void standardInputIsDeliveredAndClosed() {
    Proc.Result r =
        Proc.of("cat").stdin("hello\n").timeout(TestTime.of(Duration.ofSeconds(20))).run();
    assertTrue(r.ok(), r.describe());
    assertEquals("hello\n", r.out());
  }
}
