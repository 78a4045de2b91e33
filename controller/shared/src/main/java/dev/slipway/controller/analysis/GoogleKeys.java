package dev.slipway.controller.analysis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slipway.analysis.spec.Credentials;
import java.net.URI;

/**
 * A Google service account key, as Google issues it (JSON), read from a Secret: its parts checked,
 * and its token URI judged by the address policy before the key is ever used (the URI comes from
 * the Secret, so a key could name an address the operator never allowed).
 */
final class GoogleKeys {
  private static final ObjectMapper JSON = new ObjectMapper();

  private GoogleKeys() {}

  static Credentials.GoogleServiceAccount parse(String at, String json, AnalysisSources sources)
      throws AnalysisConfigException {
    JsonNode key;
    try {
      key = JSON.readTree(json);
    } catch (Exception e) {
      key = null;
    }
    if (key == null || !"service_account".equals(key.path("type").asText())) {
      throw new AnalysisConfigException(
          at + ": googleServiceAccount is not a Google service account key (type service_account)");
    }
    String email = key.path("client_email").asText("");
    String pem = key.path("private_key").asText("");
    if (email.isEmpty() || !pem.contains("BEGIN PRIVATE KEY")) {
      throw new AnalysisConfigException(
          at + ": googleServiceAccount lacks client_email or a PKCS#8 private_key");
    }
    URI tokenUri;
    try {
      tokenUri =
          key.hasNonNull("token_uri")
              ? URI.create(key.get("token_uri").asText())
              : Credentials.GoogleServiceAccount.GOOGLE_TOKEN_URI;
    } catch (IllegalArgumentException e) {
      throw new AnalysisConfigException(at + ": googleServiceAccount's token_uri is not a URL");
    }
    String refused = sources.providerRefusal(tokenUri);
    if (refused != null) {
      throw new AnalysisConfigException(
          at + ": googleServiceAccount's token_uri refused by policy: " + refused);
    }
    return new Credentials.GoogleServiceAccount(
        email, key.path("private_key_id").asText(""), pem, tokenUri);
  }
}
