package dev.slipway.controller.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.github.resilience4j.retry.RetryConfig;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The start-up reads: a slow API server is waited for, a refusal is not. */
class StartupRetryTest {
  private static final RetryConfig QUICK =
      StartupRetry.config(4, Duration.ofMillis(1), Duration.ofMillis(2));

  @Test
  void timeoutsAndServerErrorsAreRetriedUntilAnAnswer() {
    AtomicInteger calls = new AtomicInteger();
    String key =
        StartupRetry.call(
            "the key",
            () ->
                switch (calls.incrementAndGet()) {
                  case 1 ->
                      throw new KubernetesClientException("timed out", new TimeoutException());
                  case 2 -> throw new KubernetesClientException("unavailable", 503, null);
                  default -> "key";
                },
            QUICK);
    assertEquals("key", key);
    assertEquals(3, calls.get());
  }

  @Test
  void aRefusalFailsAtOnceAndTheLastTransientFailureIsThrown() {
    AtomicInteger calls = new AtomicInteger();
    KubernetesClientException forbidden = new KubernetesClientException("forbidden", 403, null);
    assertSame(
        forbidden,
        assertThrows(
            KubernetesClientException.class,
            () ->
                StartupRetry.call(
                    "the key",
                    () -> {
                      calls.incrementAndGet();
                      throw forbidden;
                    },
                    QUICK)));
    assertEquals(1, calls.get());

    calls.set(0);
    assertThrows(
        KubernetesClientException.class,
        () ->
            StartupRetry.call(
                "the key",
                () -> {
                  calls.incrementAndGet();
                  throw new KubernetesClientException("timed out", new TimeoutException());
                },
                QUICK));
    assertEquals(4, calls.get(), "every attempt, then the failure");
  }
}
