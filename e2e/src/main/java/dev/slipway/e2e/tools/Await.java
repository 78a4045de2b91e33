package dev.slipway.e2e.tools;

import dev.slipway.testing.TestTime;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The harness's one way to wait: poll a probe until it answers (a value that is neither null nor
 * FALSE), within a timeout scaled by {@link TestTime}, else fail naming what was awaited and, when
 * given, what the world looked like then. Every helper that waits for something in a test is built
 * on it.
 *
 * <pre>{@code
 * Await.until("the canary at 20%", Duration.ofMinutes(1)).explaining(this::describe).value(probe);
 * }</pre>
 */
public final class Await {
  private final String what;
  private final Duration timeout;
  private Duration every = Duration.ofMillis(100);
  private Supplier<String> context = () -> "";
  private boolean ignoringExceptions;

  private Await(String what, Duration timeout) {
    this.what = what;
    this.timeout = timeout;
  }

  /** Waits up to {@code timeout} (before scaling) for {@code what}. */
  public static Await until(String what, Duration timeout) {
    return new Await(what, timeout);
  }

  /** Shorthand: waits until {@code probe} holds. */
  public static void until(String what, Duration timeout, BooleanSupplier probe) {
    until(what, timeout).holds(probe);
  }

  /** Shorthand: waits until {@code probe} gives an answer, and returns it. */
  public static <T> T until(String what, Duration timeout, Supplier<T> probe) {
    return until(what, timeout).value(probe);
  }

  /** How often to poll (default 100 ms). */
  public Await every(Duration period) {
    this.every = period;
    return this;
  }

  /** What to add to the failure: the state that explains the wait. */
  public Await explaining(Supplier<String> context) {
    this.context = context;
    return this;
  }

  /** A probe that throws has no answer yet (an object between states), rather than failing. */
  public Await ignoringExceptions() {
    this.ignoringExceptions = true;
    return this;
  }

  public void holds(BooleanSupplier probe) {
    value(() -> probe.getAsBoolean() ? Boolean.TRUE : null);
  }

  /** Best effort (teardown): whether the probe held before the timeout; never fails. */
  public boolean triedHolds(BooleanSupplier probe) {
    try {
      holds(probe);
      return true;
    } catch (AssertionError timedOut) {
      return false;
    }
  }

  public <T> T value(Supplier<T> probe) {
    Instant deadline = Instant.now().plus(TestTime.of(timeout));
    while (true) {
      T v = null;
      try {
        v = probe.get();
      } catch (RuntimeException e) {
        if (!ignoringExceptions) throw e;
      }
      if (v != null && !Boolean.FALSE.equals(v)) {
        return v;
      }
      if (Instant.now().isAfter(deadline)) {
        String more = context.get();
        throw new AssertionError(
            "timed out after "
                + TestTime.of(timeout).toSeconds()
                + " s waiting for "
                + what
                + (more == null || more.isBlank() ? "" : "\n" + more));
      }
      sleep(every.toMillis());
    }
  }

  /** Sleeps, turning an interrupt into a failure (the interrupt flag kept). */
  public static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
