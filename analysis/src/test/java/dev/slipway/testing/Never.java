package dev.slipway.testing;

import java.time.Duration;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Negative checks: "this must not happen within T". T is scaled with load exactly as positive waits
 * are ({@link TestTime}), so on a busy machine, where the system under test is slowest, the check
 * watches longer instead of less. It looks every 100 ms and fails the moment the thing happens,
 * naming it; a check that found nothing has watched for the whole scaled T.
 */
public final class Never {
  private static final long POLL_MS = 100;

  private Never() {}

  /** Fails as soon as {@code happened} is true; returns after T (scaled) if it never was. */
  public static void within(Duration t, String what, BooleanSupplier happened) {
    long end = System.nanoTime() + TestTime.of(t).toNanos();
    do {
      if (happened.getAsBoolean()) {
        throw new AssertionError(
            what + " (watched for up to " + TestTime.of(t).toMillis() + " ms)");
      }
      if (System.nanoTime() >= end) {
        return;
      }
      pause(Math.min(POLL_MS, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
    } while (true);
  }

  /**
   * Fails as soon as {@code value} differs from {@code expected}, saying what it saw; returns after
   * T (scaled) if it never did.
   */
  public static <T> void changes(Duration t, String what, T expected, Supplier<T> value) {
    long end = System.nanoTime() + TestTime.of(t).toNanos();
    do {
      T now = value.get();
      if (!Objects.equals(expected, now)) {
        throw new AssertionError(what + ": expected " + expected + " to stay, saw " + now);
      }
      if (System.nanoTime() >= end) {
        return;
      }
      pause(Math.min(POLL_MS, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
    } while (true);
  }

  private static void pause(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted during a negative check", e);
    }
  }
}
