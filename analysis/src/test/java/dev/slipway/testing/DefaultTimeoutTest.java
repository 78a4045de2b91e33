package dev.slipway.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/**
 * Every test is bounded by a default timeout, scaled with load; a hang fails that test alone, with
 * a thread dump.
 */
@ExtendWith(DefaultTimeoutTest.SeenTimeout.class)
class DefaultTimeoutTest {
  static String seen;

  /** Reads the default timeout as this run's engine sees it. */
  static final class SeenTimeout implements BeforeEachCallback {
    @Override
    public void beforeEach(ExtensionContext context) {
      seen =
          context.getConfigurationParameter("junit.jupiter.execution.timeout.default").orElse(null);
    }
  }

  @Test
  void thisRunHasTheDeclaredDefaultScaledByLoad() {
    assertNotNull(seen, "no default timeout in this run");
    long declared =
        ScaledTimeouts.millis(
            ScaledTimeouts.declared().getProperty("junit.jupiter.execution.timeout.default"));
    long effective = ScaledTimeouts.millis(seen);
    System.out.printf(
        "default timeout: declared %d ms, in effect %d ms (load scale now %.2f)%n",
        declared, effective, TestTime.scale());
    assertTrue(effective >= declared, seen);
    assertTrue(effective <= declared * 10, "scaled by at most 10: " + seen);
  }

  @Test
  void aTestThatSleepsPastTheDefaultFailsAloneWithAThreadDump() {
    PrintStream out = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    EngineExecutionResults results;
    long t0 = System.nanoTime();
    try {
      System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
      results =
          EngineTestKit.engine("junit-jupiter")
              .configurationParameter("junit.jupiter.execution.timeout.default", "1 s")
              .configurationParameter("junit.jupiter.execution.timeout.threaddump.enabled", "true")
              .selectors(selectClass(HangingFixture.class))
              .execute();
    } finally {
      System.setOut(out);
    }
    long ms = (System.nanoTime() - t0) / 1_000_000;
    String dump = captured.toString(StandardCharsets.UTF_8);
    results.testEvents().assertStatistics(s -> s.started(2).succeeded(1).failed(1));
    Event failed = results.testEvents().failed().list().get(0);
    Throwable why =
        failed.getPayload(TestExecutionResult.class).orElseThrow().getThrowable().orElseThrow();
    System.out.printf(
        "a test sleeping an hour under a 1 s default: failed after %d ms with %s; thread dump of %d lines%n",
        ms, why, dump.lines().count());
    assertEquals("hangs()", failed.getTestDescriptor().getDisplayName());
    assertTrue(why instanceof TimeoutException, String.valueOf(why));
    assertTrue(
        dump.contains("HangingFixture.hangs"), "a thread dump naming the hung test:\n" + dump);
    assertTrue(ms < TestTime.of(Duration.ofSeconds(30)).toMillis(), ms + " ms");
  }
}
