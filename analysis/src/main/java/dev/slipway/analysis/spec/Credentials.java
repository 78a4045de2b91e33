package dev.slipway.analysis.spec;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/** Provider credentials. toString never shows the secret, so a log line cannot leak it. */
public sealed interface Credentials {
  Credentials NONE = new None();

  /** The Authorization header value, if any. */
  Optional<String> authorization();

  record None() implements Credentials {
    @Override
    public Optional<String> authorization() {
      return Optional.empty();
    }
  }

  record Bearer(String token) implements Credentials {
    @Override
    public Optional<String> authorization() {
      return Optional.of("Bearer " + token);
    }

    @Override
    public String toString() {
      return "Bearer[redacted]";
    }
  }

  /**
   * A Google service account's key, for Google Cloud Monitoring's PromQL API: exchanged for
   * short-lived access tokens (OAuth 2.0 JWT bearer grant, RFC 7523), sent as Bearer.
   *
   * @param tokenUri where tokens are granted, from the key (https://oauth2.googleapis.com/token)
   */
  record GoogleServiceAccount(
      String clientEmail, String privateKeyId, String privateKeyPem, java.net.URI tokenUri)
      implements Credentials {
    public static final java.net.URI GOOGLE_TOKEN_URI =
        java.net.URI.create("https://oauth2.googleapis.com/token");

    /** None here: a token is granted when a request is sent (see the Prometheus transport). */
    @Override
    public Optional<String> authorization() {
      return Optional.empty();
    }

    @Override
    public String toString() {
      return "GoogleServiceAccount[" + clientEmail + ", key redacted]";
    }
  }

  record Basic(String username, String password) implements Credentials {
    @Override
    public Optional<String> authorization() {
      String raw = username + ":" + password;
      return Optional.of(
          "Basic " + Base64.getEncoder().encodeToString(raw.getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public String toString() {
      return "Basic[" + username + ", redacted]";
    }
  }
}
