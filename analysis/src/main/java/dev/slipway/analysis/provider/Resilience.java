package dev.slipway.analysis.provider;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.core.IntervalBiFunction;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.github.resilience4j.timelimiter.TimeLimiter;
import io.github.resilience4j.timelimiter.TimeLimiterConfig;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Every provider call goes through a time limit, then a circuit breaker per provider address, then
 * retry with exponential backoff on transient failures. One instance is shared by all providers so
 * that every Rollout reading the same Prometheus shares its breaker.
 */
public final class Resilience implements AutoCloseable {
  private final CircuitBreakerRegistry breakers;
  private final RetryConfig retryConfig;
  private final ExecutorService calls;

  public Resilience(Settings settings) {
    this.breakers =
        CircuitBreakerRegistry.of(
            CircuitBreakerConfig.custom()
                .slidingWindowSize(settings.breakerWindow())
                .minimumNumberOfCalls(settings.breakerWindow())
                .failureRateThreshold(50)
                .waitDurationInOpenState(settings.breakerOpenFor())
                .recordException(Resilience::countsAgainstProvider)
                .build());
    this.retryConfig =
        RetryConfig.custom()
            .maxAttempts(settings.attempts())
            .intervalBiFunction(
                waitAsked(IntervalFunction.ofExponentialBackoff(settings.firstBackoff(), 2.0)))
            .retryOnException(Resilience::worthAnotherAttempt)
            .failAfterMaxAttempts(false)
            .build();
    this.calls =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "slipway-metric-call");
              t.setDaemon(true);
              return t;
            });
  }

  public static Resilience defaults() {
    return new Resilience(Settings.DEFAULTS);
  }

  /**
   * Runs {@code call} for the provider at {@code address}; the exception, if any, is the last
   * attempt's.
   */
  public <T> T call(String address, Duration timeout, Supplier<T> call) throws Exception {
    CircuitBreaker breaker = breakers.circuitBreaker(address);
    TimeLimiter limiter =
        TimeLimiter.of(
            address,
            TimeLimiterConfig.custom().timeoutDuration(timeout).cancelRunningFuture(true).build());
    Retry retry = Retry.of(address, retryConfig);
    return Retry.decorateCallable(
            retry,
            CircuitBreaker.decorateCallable(
                breaker,
                limiter.decorateFutureSupplier(() -> CompletableFuture.supplyAsync(call, calls))))
        .call();
  }

  public CircuitBreaker.State breakerState(String address) {
    return breakers.circuitBreaker(address).getState();
  }

  /**
   * The backoff, or the wait the provider asked for (Retry-After) when that is longer: a
   * rate-limited provider is not asked again before it said it would answer.
   */
  private static IntervalBiFunction<Object> waitAsked(IntervalFunction backoff) {
    return (attempt, outcome) -> {
      long ms = backoff.apply(attempt);
      if (outcome.isLeft()
          && cause(outcome.getLeft()) instanceof TransportException te
          && te.retryAfter() != null) {
        ms = Math.max(ms, te.retryAfter().toMillis());
      }
      return ms;
    };
  }

  /** Transient, and not asking for a longer wait than {@link RetryAfter#MAX_HONOURED}. */
  static boolean worthAnotherAttempt(Throwable t) {
    return countsAgainstProvider(t)
        && !(cause(t) instanceof TransportException te
            && te.retryAfter() != null
            && te.retryAfter().compareTo(RetryAfter.MAX_HONOURED) > 0);
  }

  private static Throwable cause(Throwable t) {
    Throwable c = t instanceof ExecutionException && t.getCause() != null ? t.getCause() : t;
    if (c instanceof CompletionException && c.getCause() != null) c = c.getCause();
    return c;
  }

  static boolean countsAgainstProvider(Throwable t) {
    Throwable c = cause(t);
    if (c instanceof CallNotPermittedException) return false;
    return c instanceof TimeoutException
        || (c instanceof TransportException te && te.isTransient());
  }

  @Override
  public void close() {
    calls.shutdownNow();
  }

  /**
   * How hard a provider is tried and when it is left alone.
   *
   * @param attempts tries per call, the first included
   * @param firstBackoff wait before the second try; doubles after each
   * @param breakerWindow calls the breaker looks at; half of them failing opens it
   * @param breakerOpenFor how long an open breaker refuses calls before it tries again
   */
  public record Settings(
      int attempts, Duration firstBackoff, int breakerWindow, Duration breakerOpenFor) {
    public static final Settings DEFAULTS =
        new Settings(3, Duration.ofMillis(250), 10, Duration.ofSeconds(30));
  }
}
