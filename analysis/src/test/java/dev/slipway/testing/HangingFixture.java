package dev.slipway.testing;

import org.junit.jupiter.api.Test;

/**
 * Not run by itself (no Test suffix): {@link DefaultTimeoutTest} runs it in a nested engine with a
 * one-second default timeout, to show what a hang does to the run.
 */
class HangingFixture {
  @Test
  void hangs() throws InterruptedException {
    Thread.sleep(3_600_000);
  }

  @Test
  void finishes() {
    // a sibling of the hang, which must still pass
  }
}
