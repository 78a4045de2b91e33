package dev.slipway.analysis.provider;

/** Sends one provider request and returns the answer's body; a 2xx answer only. */
public interface HttpTransport extends AutoCloseable {
  /**
   * The answer's body.
   *
   * @throws TransportException for anything but a 2xx answer of at most {@link
   *     HttpCall#MAX_ANSWER_BYTES}; transient for 429, 5xx, time-outs and connection failures, with
   *     the wait a 429 or 503 asked for (Retry-After)
   */
  String send(HttpCall call);

  @Override
  void close();
}
