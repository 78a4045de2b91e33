package dev.slipway.analysis.provider;

import dev.slipway.analysis.spec.Credentials;
import dev.slipway.analysis.spec.PrometheusTarget;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.client.DefaultHttpClientConfiguration;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.exceptions.HttpClientException;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.http.client.exceptions.ReadTimeoutException;
import io.micronaut.http.ssl.ClientSslConfiguration;
import io.micronaut.http.uri.UriBuilder;
import java.io.IOException;
import java.net.MalformedURLException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * The Prometheus API over Micronaut's HTTP client: auth and custom headers on every request (for a
 * Google service account, an access token granted and renewed as needed).
 */
public final class MicronautPrometheusTransport implements PrometheusTransport {
  private final PrometheusTarget target;
  private final HttpClient client;
  private final GoogleAccessTokens googleTokens;

  public MicronautPrometheusTransport(PrometheusTarget target) {
    this(target, Clock.systemUTC());
  }

  /** With the clock that says when a Google access token expires. */
  public MicronautPrometheusTransport(PrometheusTarget target, Clock clock) {
    this.target = target;
    this.googleTokens =
        target.credentials() instanceof Credentials.GoogleServiceAccount g
            ? new GoogleAccessTokens(g, clock, target.timeout())
            : null;
    DefaultHttpClientConfiguration config = new DefaultHttpClientConfiguration();
    config.setConnectTimeout(target.timeout());
    // A backstop only: the time limiter around every call enforces target.timeout().
    config.setReadTimeout(target.timeout().plus(Duration.ofSeconds(1)));
    config.setFollowRedirects(false);
    if (target.insecureSkipTlsVerify() || target.caPem() != null) {
      ClientSslConfiguration ssl = new ClientSslConfiguration();
      ssl.setInsecureTrustAllCertificates(target.insecureSkipTlsVerify());
      if (target.caPem() != null) {
        ssl.getTrustStore().setPath("file:" + writeCa(target.caPem()));
      }
      config.setSslConfiguration(ssl);
    }
    try {
      this.client = HttpClient.create(target.address().toURL(), config);
    } catch (MalformedURLException e) {
      throw new IllegalArgumentException("invalid Prometheus address " + target.safeAddress(), e);
    }
  }

  @Override
  public String get(String path, Map<String, String> params) {
    UriBuilder uri = UriBuilder.of(joinPath(target.address().getPath(), path));
    params.forEach(uri::queryParam);
    MutableHttpRequest<Object> request = HttpRequest.GET(uri.build().toString());
    target.headers().forEach(request::header);
    target.credentials().authorization().ifPresent(v -> request.header("Authorization", v));
    if (googleTokens != null) request.header("Authorization", "Bearer " + googleTokens.token());
    request.accept("application/json");
    try {
      HttpResponse<String> response = client.toBlocking().exchange(request, String.class);
      return response.getBody().orElse("");
    } catch (HttpClientResponseException e) {
      int code = e.getStatus().getCode();
      if (code == 400 || code == 422) {
        // Prometheus explains a bad or failed query in a JSON body; the parser turns it into a
        // Failure.
        return e.getResponse().getBody(String.class).orElse("");
      }
      UpstreamText.logged(
          "HTTP " + code, target.safeAddress(), e.getResponse().getBody(String.class).orElse(""));
      throw TransportException.status(
          code, target.safeAddress(), RetryAfter.of(e.getResponse().getHeaders()));
    } catch (ReadTimeoutException e) {
      throw new TransportException(
          "no reply from " + target.safeAddress() + " within " + target.timeout(), true, null);
    } catch (HttpClientException e) {
      UpstreamText.logged("cannot reach", target.safeAddress(), rootMessage(e));
      throw new TransportException(
          "cannot reach " + target.safeAddress() + ": " + UpstreamText.connection(e), true, null);
    }
  }

  @Override
  public void close() {
    client.close();
  }

  /** Micronaut reads a trust store from a file; a PEM bundle is accepted as one. */
  private static String writeCa(String pem) {
    try {
      Path f = Files.createTempFile("slipway-prometheus-ca", ".pem");
      f.toFile().deleteOnExit();
      Files.writeString(f, pem);
      return f.toString();
    } catch (IOException e) {
      throw new IllegalStateException("cannot write the CA bundle: " + e.getMessage(), e);
    }
  }

  private static String joinPath(String base, String path) {
    if (base == null || base.isEmpty() || base.equals("/")) return path;
    return base.endsWith("/") ? base.substring(0, base.length() - 1) + path : base + path;
  }

  private static String rootMessage(Throwable t) {
    Throwable c = t;
    while (c.getCause() != null && c.getCause() != c) c = c.getCause();
    return c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage();
  }
}
