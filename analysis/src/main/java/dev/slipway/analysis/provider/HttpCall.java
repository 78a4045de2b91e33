package dev.slipway.analysis.provider;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * One HTTP request to a provider (a web check, Datadog, New Relic).
 *
 * @param headers sent as they are; they may hold credentials and are never recorded
 * @param body a JSON body, sent with POST; null for GET
 * @param where the address as messages may name it (no query string, no credentials)
 */
public record HttpCall(
    String method,
    URI uri,
    Map<String, String> headers,
    String body,
    Duration timeout,
    String where) {

  /** Answers larger than this are refused unread: a provider answers with values, not a dump. */
  public static final int MAX_ANSWER_BYTES = 1 << 20;

  public HttpCall {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(uri, "uri");
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(where, "where");
    headers = headers == null ? Map.of() : Map.copyOf(headers);
  }

  @Override
  public String toString() {
    return "HttpCall[" + method + " " + where + "]";
  }
}
