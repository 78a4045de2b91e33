package dev.slipway.analysis.provider;

import static dev.slipway.analysis.provider.LocalApi.ok;
import static dev.slipway.analysis.provider.LocalApi.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slipway.analysis.spec.Credentials;
import dev.slipway.analysis.spec.PrometheusTarget;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Google Cloud Monitoring's PromQL API, played on 127.0.0.1 as Google documents it: a token
 * endpoint that checks the JWT bearer grant (RS256 signature with the service account's public key,
 * issuer, audience, scope) and grants an access token; a PromQL endpoint under
 * /v1/projects/PROJECT/location/global/prometheus that answers as Prometheus does and checks the
 * token. A token is reused until a minute before it expires; a refused key is an Error and not
 * retried. Not run against Google itself.
 */
class GoogleCloudMonitoringTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String PATH = "/v1/projects/shop-prod/location/global/prometheus";
  static LocalApi token;
  static LocalApi promql;
  static KeyPair keys;
  static Resilience resilience;

  @BeforeAll
  static void up() throws Exception {
    token = new LocalApi();
    promql = new LocalApi();
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    keys = g.generateKeyPair();
    resilience = LocalApi.quickRetries();
  }

  @AfterAll
  static void down() {
    resilience.close();
    token.close();
    promql.close();
  }

  static Credentials.GoogleServiceAccount key() {
    String pem =
        "-----BEGIN PRIVATE KEY-----\n"
            + Base64.getMimeEncoder().encodeToString(keys.getPrivate().getEncoded())
            + "\n-----END PRIVATE KEY-----\n";
    return new Credentials.GoogleServiceAccount(
        "slipway@shop-prod.iam.gserviceaccount.com",
        "k1",
        pem,
        URI.create(token.base() + "/token"));
  }

  /** Null when the grant is one Google would accept from this key, else why not. */
  static String grantProblem(LocalApi.Request r) throws Exception {
    Map<String, String> form = new java.util.HashMap<>();
    for (String kv : r.body().split("&")) {
      String[] p = kv.split("=", 2);
      form.put(p[0], URLDecoder.decode(p[1], StandardCharsets.UTF_8));
    }
    if (!"urn:ietf:params:oauth:grant-type:jwt-bearer".equals(form.get("grant_type"))) {
      return "grant_type " + form.get("grant_type");
    }
    String[] jwt = form.get("assertion").split("\\.");
    Signature rsa = Signature.getInstance("SHA256withRSA");
    rsa.initVerify(keys.getPublic());
    rsa.update((jwt[0] + "." + jwt[1]).getBytes(StandardCharsets.UTF_8));
    if (!rsa.verify(Base64.getUrlDecoder().decode(jwt[2]))) return "bad signature";
    JsonNode header = JSON.readTree(Base64.getUrlDecoder().decode(jwt[0]));
    JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(jwt[1]));
    if (!header.path("alg").asText().equals("RS256") || !header.path("kid").asText().equals("k1")) {
      return "header " + header;
    }
    if (!claims.path("iss").asText().equals("slipway@shop-prod.iam.gserviceaccount.com")
        || !claims.path("aud").asText().equals(token.base() + "/token")
        || !claims.path("scope").asText().equals("https://www.googleapis.com/auth/monitoring.read")
        || claims.path("exp").asLong() - claims.path("iat").asLong() != 3600) {
      return "claims " + claims;
    }
    return null;
  }

  static PrometheusProvider provider(Clock clock) {
    PrometheusTarget t =
        PrometheusTarget.at(promql.base() + PATH)
            .withCredentials(key())
            .withTimeout(Duration.ofSeconds(3));
    return new PrometheusProvider(t, new MicronautPrometheusTransport(t, clock), resilience);
  }

  static final String VALUE =
      "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{},\"value\":[1733479200,\"0.995\"]}]}}";

  @Test
  void aSignedGrantBuysATokenThatIsSentAndReusedUntilItNearlyExpires() throws Exception {
    token.answers(
        ok("{\"access_token\":\"ya29.first\",\"expires_in\":3599,\"token_type\":\"Bearer\"}"),
        ok("{\"access_token\":\"ya29.second\",\"expires_in\":3599,\"token_type\":\"Bearer\"}"));
    promql.answers(ok(VALUE));
    AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-12-06T10:00:00Z"));
    Clock clock =
        new Clock() {
          public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
          }

          public Clock withZone(java.time.ZoneId z) {
            return this;
          }

          public Instant instant() {
            return now.get();
          }
        };
    PrometheusProvider p = provider(clock);
    assertEquals(new QueryOutcome.Value(0.995), p.instant("up", now.get()));
    assertEquals(new QueryOutcome.Value(0.995), p.instant("up", now.get()));
    assertEquals(1, token.requests.size(), "one token for both queries");
    assertEquals(null, grantProblem(token.requests.get(0)));
    LocalApi.Request q = promql.requests.get(0);
    assertEquals(PATH + "/api/v1/query", q.path());
    assertEquals("Bearer ya29.first", q.headers().get("Authorization"));
    now.set(now.get().plusSeconds(3599 - 30));
    p.instant("up", now.get());
    assertEquals(2, token.requests.size(), "a token within a minute of expiry is renewed");
    assertEquals("Bearer ya29.second", promql.requests.get(2).headers().get("Authorization"));
  }

  @Test
  void aRefusedKeyIsAnErrorThatIsNotRetriedAndNothingIsAsked() {
    token.answers(
        status(400, "{\"error\":\"invalid_grant\",\"error_description\":\"<b>nope</b>\"}"));
    promql.answers(ok(VALUE));
    QueryOutcome out = provider(Clock.systemUTC()).instant("up", Instant.now());
    String why = ((QueryOutcome.Failure) out).why();
    assertTrue(why.contains("service account key was refused"), why);
    assertFalse(why.contains("nope"), why);
    assertEquals(1, token.requests.size());
    assertEquals(0, promql.requests.size());
  }

  @Test
  void anOutageOfTheTokenEndpointIsRetriedThenAnError() {
    token.answers(status(503, "{}"));
    promql.answers(ok(VALUE));
    assertInstanceOf(
        QueryOutcome.Failure.class, provider(Clock.systemUTC()).instant("up", Instant.now()));
    assertEquals(3, token.requests.size());
    assertFalse(key().toString().contains("PRIVATE"));
  }

  @Test
  void aRateLimitedPromQlAnswerIsWaitedOutAsItAsks() {
    token.answers(ok("{\"access_token\":\"ya29.t\",\"expires_in\":3599}"));
    promql.answers(status(429, "{}", "Retry-After", "1"), ok(VALUE));
    assertEquals(
        new QueryOutcome.Value(0.995), provider(Clock.systemUTC()).instant("up", Instant.now()));
    assertEquals(2, promql.requests.size());
    long gapMs = (promql.requests.get(1).nanos() - promql.requests.get(0).nanos()) / 1_000_000;
    assertTrue(gapMs >= 1000, gapMs + " ms");
  }
}
