package dev.slipway.analysis.provider;

/** A call that did not produce a usable HTTP answer. Transient ones are worth retrying. */
public final class TransportException extends RuntimeException {
  private final boolean transientFailure;

  public TransportException(String message, boolean transientFailure, Throwable cause) {
    super(message, cause);
    this.transientFailure = transientFailure;
  }

  public boolean isTransient() {
    return transientFailure;
  }
}
