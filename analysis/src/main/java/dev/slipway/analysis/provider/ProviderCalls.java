package dev.slipway.analysis.provider;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One provider call through {@link Resilience}, its answer parsed; every failure a {@link
 * QueryOutcome.Failure} in words that name the provider and never quote it.
 */
final class ProviderCalls {
  private ProviderCalls() {}

  static <T> QueryOutcome ask(
      Resilience resilience,
      String where,
      Duration timeout,
      Supplier<T> call,
      Function<T, QueryOutcome> parse) {
    T body;
    try {
      body = resilience.call(where, timeout, call);
    } catch (Exception e) {
      return new QueryOutcome.Failure(describe(e, where, timeout));
    }
    return parse.apply(body);
  }

  static String describe(Throwable e, String where, Duration timeout) {
    Throwable c = e;
    while ((c instanceof ExecutionException || c instanceof CompletionException)
        && c.getCause() != null) {
      c = c.getCause();
    }
    if (c instanceof TimeoutException) {
      return "no reply from " + where + " within " + timeout;
    }
    if (c instanceof CallNotPermittedException) {
      return "circuit breaker open for " + where + " after repeated failures";
    }
    if (c instanceof TransportException) {
      return c.getMessage();
    }
    return "query to " + where + " failed: " + c.getClass().getSimpleName();
  }
}
