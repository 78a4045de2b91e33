package dev.slipway.controller.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.analysis.spec.Credentials;
import dev.slipway.api.v1alpha1.AnalysisTemplate;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A Google service account key from a Secret: its token URI judged by the address policy (it comes
 * from the Secret, not from the operator), its parts checked, errors that name what is wrong and
 * never the key.
 */
class GoogleKeysTest {
  static final String PEM = "-----BEGIN PRIVATE KEY-----\\nMIIE\\n-----END PRIVATE KEY-----\\n";

  static AnalysisSources policy(String refusedHost) {
    return new AnalysisSources() {
      public AnalysisTemplate template(String ns, String name) {
        return null;
      }

      public Map<String, String> secret(String ns, String name) {
        return Map.of();
      }

      public String providerRefusal(URI address) {
        return address.getHost().equals(refusedHost) ? "host " + refusedHost + " is refused" : null;
      }
    };
  }

  static String key(String tokenUri) {
    return "{\"type\":\"service_account\",\"project_id\":\"shop-prod\",\"private_key_id\":\"k1\","
        + "\"private_key\":\""
        + PEM
        + "\",\"client_email\":\"slipway@shop-prod.iam.gserviceaccount.com\""
        + (tokenUri == null ? "" : ",\"token_uri\":\"" + tokenUri + "\"")
        + "}";
  }

  @Test
  void aKeyIsReadWithGooglesTokenUriByDefault() throws Exception {
    Credentials.GoogleServiceAccount k = GoogleKeys.parse("m", key(null), policy("none"));
    assertEquals(URI.create("https://oauth2.googleapis.com/token"), k.tokenUri());
    assertEquals("slipway@shop-prod.iam.gserviceaccount.com", k.clientEmail());
    assertTrue(!k.toString().contains("PRIVATE"), k.toString());
  }

  @Test
  void aTokenUriThePolicyRefusesIsNamedAndNotUsed() {
    AnalysisConfigException e =
        assertThrows(
            AnalysisConfigException.class,
            () ->
                GoogleKeys.parse(
                    "m", key("http://169.254.169.254/token"), policy("169.254.169.254")));
    assertTrue(e.getMessage().contains("token_uri refused by policy"), e.getMessage());
  }

  @Test
  void somethingElseIsNotAKey() {
    AnalysisConfigException e =
        assertThrows(
            AnalysisConfigException.class,
            () -> GoogleKeys.parse("m", "{\"token\":\"s3cr3t\"}", policy("none")));
    assertTrue(e.getMessage().contains("not a Google service account key"), e.getMessage());
    assertTrue(!e.getMessage().contains("s3cr3t"));
  }
}
