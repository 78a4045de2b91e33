package dev.slipway.controller.k8s;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.time.Duration;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * API reads the controller needs before it can start (the evidence signing key). On a slow or
 * briefly unreachable API server they are retried for about 1.5 minutes instead of ending the
 * process: a controller that exits restarts into the same slow API server, behind a growing
 * CrashLoopBackOff (seen at load 12 on 2 cores: the key's GET passed the client's 10 s timeout).
 * Answers that will not change by waiting (403, 404, a bad request) fail at once.
 */
public final class StartupRetry {
  private static final Logger LOG = LoggerFactory.getLogger(StartupRetry.class);
  static final RetryConfig DEFAULT = config(10, Duration.ofSeconds(1), Duration.ofSeconds(15));

  private StartupRetry() {}

  /** {@code read}, retried while it fails transiently; the last failure is thrown. */
  public static <T> T call(String what, Supplier<T> read) {
    return call(what, read, DEFAULT);
  }

  static <T> T call(String what, Supplier<T> read, RetryConfig config) {
    Retry retry = Retry.of(what, config);
    retry
        .getEventPublisher()
        .onRetry(
            e ->
                LOG.warn(
                    "reading {} failed (attempt {} of {}), trying again in {} ms: {}",
                    what,
                    e.getNumberOfRetryAttempts(),
                    config.getMaxAttempts(),
                    e.getWaitInterval().toMillis(),
                    String.valueOf(e.getLastThrowable())));
    return Retry.decorateSupplier(retry, read).get();
  }

  static RetryConfig config(int attempts, Duration first, Duration cap) {
    return RetryConfig.custom()
        .maxAttempts(attempts)
        .intervalFunction(IntervalFunction.ofExponentialBackoff(first, 2.0, cap))
        .retryOnException(StartupRetry::isTransient)
        .build();
  }

  /**
   * No HTTP answer at all (a timeout, a refused connection: fabric8 gives no status code), too many
   * requests, or a server error.
   */
  static boolean isTransient(Throwable e) {
    return e instanceof KubernetesClientException k
        && (k.getCode() <= 0 || k.getCode() == 429 || k.getCode() >= 500);
  }
}
