package dev.slipway.analysis.spec;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * A web check (issue 30): one HTTP request whose JSON answer holds the measured value.
 *
 * @param url where the request goes (its query string may hold {{args.NAME}} until rendered); the
 *     operator's address policy bounds it
 * @param method GET or POST
 * @param body the POST body (JSON), or null
 * @param headers header values, already read from the Secrets the template names: never recorded
 * @param jsonPath where the value is in the answer, e.g. {@code $.data.errorRate}; a number, a
 *     boolean (1 or 0) or a string holding a number
 * @param timeout for each attempt
 */
public record WebCheck(
    String url,
    String method,
    String body,
    Map<String, String> headers,
    String jsonPath,
    Duration timeout) {

  public WebCheck {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(jsonPath, "jsonPath");
    if (!url.startsWith("http://") && !url.startsWith("https://")) {
      throw new IllegalArgumentException("url must be http:// or https://, got " + url);
    }
    // The part before the query string must parse now: host and path take no arguments.
    String head = head(url);
    if (head.contains("{{")) {
      throw new IllegalArgumentException(
          "{{args.…}} may appear only in the query string of a web check's url, not in " + head);
    }
    URI.create(head);
    method = method == null ? "GET" : method;
    if (!method.equals("GET") && !method.equals("POST")) {
      throw new IllegalArgumentException("method must be GET or POST, got " + method);
    }
    headers = headers == null ? Map.of() : Map.copyOf(headers);
    timeout = timeout == null ? Duration.ofSeconds(10) : timeout;
  }

  /** A URL without its query string: the part that takes no arguments and is recorded. */
  public static String head(String url) {
    int q = url.indexOf('?');
    return q < 0 ? url : url.substring(0, q);
  }

  /** The URL to send to, once its arguments are filled in. */
  public URI uri() {
    return URI.create(url);
  }

  /** The address as it may be recorded: scheme, host, port and path; no query, no user info. */
  public String safeAddress() {
    URI u = URI.create(head(url));
    return u.getScheme()
        + "://"
        + u.getHost()
        + (u.getPort() < 0 ? "" : ":" + u.getPort())
        + (u.getRawPath() == null ? "" : u.getRawPath());
  }

  /** What the evidence records as the query: method, address and path into the answer. */
  public String describe() {
    return method + " " + safeAddress() + " " + jsonPath;
  }
}
