package dev.slipway.analysis.provider;

import io.micronaut.http.HttpHeaders;
import java.time.Duration;

/**
 * How long a provider asked to be left alone: Retry-After in seconds (RFC 9110; the HTTP-date form
 * is ignored, as it would need the provider's clock to agree with ours), else Datadog's
 * X-RateLimit-Reset, the seconds until its rate-limit window resets.
 */
public final class RetryAfter {
  public static final String RATE_LIMIT_RESET = "X-RateLimit-Reset";

  /** Longer asks are not waited out: the attempt fails now and the next measurement tries again. */
  public static final Duration MAX_HONOURED = Duration.ofSeconds(10);

  private RetryAfter() {}

  /** The wait asked for, or null for none or one we cannot read. */
  public static Duration parse(String retryAfter, String rateLimitReset) {
    Duration d = seconds(retryAfter);
    return d != null ? d : seconds(rateLimitReset);
  }

  /** The wait an answer's headers ask for, or null. */
  public static Duration of(HttpHeaders headers) {
    return parse(headers.get(HttpHeaders.RETRY_AFTER), headers.get(RATE_LIMIT_RESET));
  }

  private static Duration seconds(String v) {
    if (v == null || !v.strip().matches("\\d{1,9}")) return null;
    return Duration.ofSeconds(Long.parseLong(v.strip()));
  }
}
