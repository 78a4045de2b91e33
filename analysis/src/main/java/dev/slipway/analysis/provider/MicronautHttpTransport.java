package dev.slipway.analysis.provider;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.client.DefaultHttpClientConfiguration;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.exceptions.ContentLengthExceededException;
import io.micronaut.http.client.exceptions.HttpClientException;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.http.client.exceptions.ReadTimeoutException;
import java.time.Duration;

/**
 * Provider requests over Micronaut's HTTP client: one client, no redirects followed (a redirect
 * could lead past the address policy), answers bounded to {@link HttpCall#MAX_ANSWER_BYTES}.
 */
public final class MicronautHttpTransport implements HttpTransport {
  private final HttpClient client;

  /**
   * @param timeout the longest any call may take; each call's own limit is enforced around it
   */
  public MicronautHttpTransport(Duration timeout) {
    DefaultHttpClientConfiguration config = new DefaultHttpClientConfiguration();
    config.setConnectTimeout(timeout);
    // A backstop only: the time limiter around every call enforces the call's own timeout.
    config.setReadTimeout(timeout.plus(Duration.ofSeconds(1)));
    config.setFollowRedirects(false);
    config.setMaxContentLength(HttpCall.MAX_ANSWER_BYTES);
    this.client = HttpClient.create(null, config);
  }

  @Override
  public String send(HttpCall call) {
    MutableHttpRequest<?> request;
    if (call.method().equals("POST")) {
      request =
          HttpRequest.POST(call.uri(), call.body() == null ? "" : call.body())
              .contentType(MediaType.APPLICATION_JSON_TYPE);
    } else {
      request = HttpRequest.GET(call.uri());
    }
    call.headers().forEach(request::header);
    request.accept(MediaType.APPLICATION_JSON_TYPE);
    String where = call.where();
    try {
      HttpResponse<String> response = client.toBlocking().exchange(request, String.class);
      int code = response.getStatus().getCode();
      if (code < 200 || code > 299) {
        throw new TransportException("HTTP " + code + " from " + where, false, null);
      }
      return response.getBody().orElse("");
    } catch (HttpClientResponseException e) {
      int code = e.getStatus().getCode();
      UpstreamText.logged("HTTP " + code, where, e.getResponse().getBody(String.class).orElse(""));
      Duration wait = RetryAfter.of(e.getResponse().getHeaders());
      throw TransportException.status(code, where, wait);
    } catch (ContentLengthExceededException e) {
      throw tooLarge(where);
    } catch (ReadTimeoutException e) {
      throw new TransportException(
          "no reply from " + where + " within " + call.timeout(), true, null);
    } catch (HttpClientException e) {
      if (hasCause(e, ContentLengthExceededException.class)) throw tooLarge(where);
      throw new TransportException(
          "cannot reach " + where + ": " + UpstreamText.connection(e), true, null);
    }
  }

  /** Not retried: it would be as large again. */
  private static TransportException tooLarge(String where) {
    return new TransportException(
        "the answer from "
            + where
            + " is larger than "
            + HttpCall.MAX_ANSWER_BYTES
            + " bytes: refused unread",
        false,
        null);
  }

  private static boolean hasCause(Throwable t, Class<? extends Throwable> kind) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (kind.isInstance(c)) return true;
    }
    return false;
  }

  @Override
  public void close() {
    client.close();
  }
}
