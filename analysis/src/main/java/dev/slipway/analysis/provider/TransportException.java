package dev.slipway.analysis.provider;

import java.time.Duration;

/** A call that did not produce a usable HTTP answer. Transient ones are worth retrying. */
public final class TransportException extends RuntimeException {
  private final boolean transientFailure;
  private final Duration retryAfter;

  public TransportException(String message, boolean transientFailure, Throwable cause) {
    this(message, transientFailure, cause, null);
  }

  private TransportException(
      String message, boolean transientFailure, Throwable cause, Duration retryAfter) {
    super(message, cause);
    this.transientFailure = transientFailure;
    this.retryAfter = retryAfter;
  }

  /**
   * An answer with a status that is not 2xx: transient for 429 and 5xx, which may say when to try
   * again.
   *
   * @param retryAfter the wait the answer asked for (Retry-After), or null
   */
  public static TransportException status(int code, String where, Duration retryAfter) {
    boolean again = code == 429 || code >= 500;
    String message =
        "HTTP "
            + code
            + " from "
            + where
            + (code == 429 ? " (rate limited)" : "")
            + (code == 401 || code == 403 ? " (the credentials were refused)" : "")
            + (again && retryAfter != null
                ? " and asked for a wait of " + retryAfter.toSeconds() + " s"
                : "");
    return new TransportException(message, again, null, again ? retryAfter : null);
  }

  public boolean isTransient() {
    return transientFailure;
  }

  /** The wait the provider asked for before the next attempt, or null. */
  public Duration retryAfter() {
    return retryAfter;
  }
}
