package dev.slipway.analysis.provider;

import dev.slipway.analysis.spec.WebCheck;

/** Sends a web check's request and returns the answer's body; a 2xx answer only. */
public interface WebTransport extends AutoCloseable {
  /**
   * The answer's body.
   *
   * @throws TransportException for anything but a 2xx answer of at most {@link
   *     WebCheck#MAX_ANSWER_BYTES}; transient for 429, 5xx, time-outs and connection failures
   */
  String send(WebCheck check);

  @Override
  void close();
}
