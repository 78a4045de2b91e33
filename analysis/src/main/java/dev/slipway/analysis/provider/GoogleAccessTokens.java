package dev.slipway.analysis.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slipway.analysis.spec.Credentials;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

/**
 * Access tokens for a Google service account (OAuth 2.0 JWT bearer grant, RFC 7523, as Google's
 * documentation for server-to-server applications describes it): a JWT signed RS256 with the key,
 * exchanged at the key's token URI, cached until a minute before it expires. Written here rather
 * than taken from google-auth-library, which would bring its own HTTP stack (Apache, gRPC context,
 * OpenCensus, Guava) past the time limits and address policy every other provider call keeps.
 */
final class GoogleAccessTokens {
  static final String SCOPE = "https://www.googleapis.com/auth/monitoring.read";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration EARLY = Duration.ofMinutes(1);

  private final Credentials.GoogleServiceAccount key;
  private final Clock clock;
  private final Duration timeout;
  private final HttpClient http;
  private String token;
  private Instant expires = Instant.MIN;

  GoogleAccessTokens(Credentials.GoogleServiceAccount key, Clock clock, Duration timeout) {
    this.key = key;
    this.clock = clock;
    this.timeout = timeout;
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(timeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  /**
   * A token valid for at least a minute more.
   *
   * @throws TransportException when none could be granted (transient for 5xx, 429 and connection
   *     failures; a refused key is not)
   */
  synchronized String token() {
    Instant now = clock.instant();
    if (token != null && now.isBefore(expires.minus(EARLY))) return token;
    String where = dev.slipway.analysis.spec.MetricSource.safe(key.tokenUri());
    HttpResponse<String> response;
    try {
      HttpRequest request =
          HttpRequest.newBuilder(key.tokenUri())
              .timeout(timeout)
              .header("Content-Type", "application/x-www-form-urlencoded")
              .POST(
                  HttpRequest.BodyPublishers.ofString(
                      "grant_type="
                          + URLEncoder.encode(
                              "urn:ietf:params:oauth:grant-type:jwt-bearer", StandardCharsets.UTF_8)
                          + "&assertion="
                          + assertion(now)))
              .build();
      response = http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new TransportException(
          "the Google service account's private key cannot sign", false, null);
    } catch (IOException e) {
      throw new TransportException(
          "cannot reach " + where + ": " + UpstreamText.connection(e), true, null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TransportException("interrupted asking " + where, true, null);
    }
    int code = response.statusCode();
    if (code != 200) {
      UpstreamText.logged("HTTP " + code, where, response.body());
      if (code == 400 || code == 401) {
        throw new TransportException(
            "HTTP " + code + " from " + where + " (the service account key was refused)",
            false,
            null);
      }
      throw TransportException.status(code, where, null);
    }
    try {
      JsonNode answer = JSON.readTree(response.body());
      String granted = answer.path("access_token").asText("");
      long seconds = answer.path("expires_in").asLong(0);
      if (granted.isEmpty() || seconds <= 0) throw new IOException("no token");
      token = granted;
      expires = now.plusSeconds(seconds);
      return token;
    } catch (IOException e) {
      throw new TransportException(where + " granted no access token", false, null);
    }
  }

  private String assertion(Instant now) throws GeneralSecurityException {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    String header =
        JSON.createObjectNode()
            .put("alg", "RS256")
            .put("typ", "JWT")
            .put("kid", key.privateKeyId())
            .toString();
    String claims =
        JSON.createObjectNode()
            .put("iss", key.clientEmail())
            .put("scope", SCOPE)
            .put("aud", key.tokenUri().toString())
            .put("iat", now.getEpochSecond())
            .put("exp", now.getEpochSecond() + 3600)
            .toString();
    String unsigned =
        b64.encodeToString(header.getBytes(StandardCharsets.UTF_8))
            + "."
            + b64.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
    Signature rsa = Signature.getInstance("SHA256withRSA");
    rsa.initSign(privateKey(key.privateKeyPem()));
    rsa.update(unsigned.getBytes(StandardCharsets.UTF_8));
    return unsigned + "." + b64.encodeToString(rsa.sign());
  }

  static PrivateKey privateKey(String pem) throws GeneralSecurityException {
    String body =
        pem.replace("-----BEGIN PRIVATE KEY-----", "")
            .replace("-----END PRIVATE KEY-----", "")
            .replaceAll("\\s", "");
    return KeyFactory.getInstance("RSA")
        .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(body)));
  }
}
