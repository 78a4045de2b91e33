package dev.slipway.controller.supply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.slipway.analysis.provider.AddressPolicy;
import dev.slipway.api.v1alpha1.ImagePolicy.AttestationType;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The verifier against a registry on 127.0.0.1 serving cosign's artifacts as cosign writes them
 * (simple-signing payloads with the signature in a layer annotation; DSSE envelopes of in-toto
 * statements), made here with keys made here. ReleaseE2ETest and ControllerE2ETest check the same
 * against images real cosign signed.
 */
class CosignVerifierTest {
  static final String REPO = "team/app";
  static final String DIGEST = "sha256:" + "ab".repeat(32);
  static final String OTHER = "sha256:" + "cd".repeat(32);

  HttpServer server;
  final Map<String, byte[]> served = new HashMap<>();
  KeyPair key;
  KeyPair otherKey;

  @BeforeEach
  void up() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/v2/",
        x -> {
          byte[] body = served.get(x.getRequestURI().getPath());
          if (body == null) {
            x.sendResponseHeaders(404, -1);
          } else {
            x.sendResponseHeaders(200, body.length);
            x.getResponseBody().write(body);
          }
          x.close();
        });
    server.start();
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    key = g.generateKeyPair();
    otherKey = g.generateKeyPair();
  }

  @AfterEach
  void down() {
    server.stop(0);
  }

  ImageRef ref(String digest) {
    return ImageRef.parse("127.0.0.1:" + server.getAddress().getPort() + "/" + REPO + "@" + digest);
  }

  CosignVerifier verifier() {
    return new CosignVerifier(new Registry(AddressPolicy.fromEnvironment(), Duration.ofSeconds(5)));
  }

  static String pem(KeyPair k) {
    return "-----BEGIN PUBLIC KEY-----\n"
        + Base64.getMimeEncoder().encodeToString(k.getPublic().getEncoded())
        + "\n-----END PUBLIC KEY-----\n";
  }

  static byte[] sign(KeyPair k, byte[] data) throws Exception {
    Signature s = Signature.getInstance("SHA256withECDSA");
    s.initSign(k.getPrivate());
    s.update(data);
    return s.sign();
  }

  String blob(byte[] b) {
    String d = "sha256:" + CosignVerifier.sha256(b);
    served.put("/v2/" + REPO + "/blobs/" + d, b);
    return d;
  }

  /** What cosign sign writes: a manifest at sha256-HEX.sig, one layer per signature. */
  void signed(String digest, String payloadDigest, KeyPair by) throws Exception {
    byte[] payload =
        ("{\"critical\":{\"identity\":{\"docker-reference\":\"x\"},\"image\":{\"docker-manifest-digest\":\""
                + payloadDigest
                + "\"},\"type\":\"cosign container image signature\"},\"optional\":null}")
            .getBytes(StandardCharsets.UTF_8);
    String layer = blob(payload);
    String sig = Base64.getEncoder().encodeToString(sign(by, payload));
    served.put(
        "/v2/" + REPO + "/manifests/" + digest.replace(':', '-') + ".sig",
        ("{\"schemaVersion\":2,\"layers\":[{\"mediaType\":\"application/vnd.dev.cosign.simplesigning.v1+json\",\"digest\":\""
                + layer
                + "\",\"annotations\":{\"dev.cosignproject.cosign/signature\":\""
                + sig
                + "\"}}]}")
            .getBytes(StandardCharsets.UTF_8));
  }

  /** What cosign attest writes: a manifest at sha256-HEX.att, one DSSE envelope per layer. */
  String attested(String digest, String predicateType, KeyPair by) throws Exception {
    byte[] statement =
        ("{\"_type\":\"https://in-toto.io/Statement/v0.1\",\"predicateType\":\""
                + predicateType
                + "\",\"subject\":[{\"name\":\"x\",\"digest\":{\"sha256\":\""
                + digest.substring(7)
                + "\"}}],\"predicate\":{}}")
            .getBytes(StandardCharsets.UTF_8);
    String type = "application/vnd.in-toto+json";
    byte[] sig = sign(by, CosignVerifier.pae(type, statement));
    byte[] envelope =
        ("{\"payloadType\":\""
                + type
                + "\",\"payload\":\""
                + Base64.getEncoder().encodeToString(statement)
                + "\",\"signatures\":[{\"keyid\":\"\",\"sig\":\""
                + Base64.getEncoder().encodeToString(sig)
                + "\"}]}")
            .getBytes(StandardCharsets.UTF_8);
    String layer = blob(envelope);
    served.put(
        "/v2/" + REPO + "/manifests/" + digest.replace(':', '-') + ".att",
        ("{\"schemaVersion\":2,\"layers\":[{\"mediaType\":\"application/vnd.dsse.envelope.v1+json\",\"digest\":\""
                + layer
                + "\",\"annotations\":{\"predicateType\":\""
                + predicateType
                + "\"}}]}")
            .getBytes(StandardCharsets.UTF_8));
    return layer;
  }

  @Test
  void aSignedAndAttestedImageVerifiesWithItsEvidence() throws Exception {
    signed(DIGEST, DIGEST, key);
    String att = attested(DIGEST, AttestationType.cyclonedx.predicateType(), key);
    var keys = List.of(CosignVerifier.Key.parse(pem(otherKey)), CosignVerifier.Key.parse(pem(key)));
    CosignVerifier.Result r =
        verifier().verify(ref(DIGEST), keys, List.of(AttestationType.cyclonedx));
    assertTrue(r.verified(), r.reason());
    assertEquals(keys.get(1).fingerprint(), r.evidence().get("key"));
    assertTrue(String.valueOf(r.evidence().get("signature")).startsWith("sha256:"));
    assertEquals(Map.of("cyclonedx", att), r.evidence().get("attestations"));
  }

  @Test
  void everyWayOfNotBeingSignedIsARefusalThatSaysWhy() throws Exception {
    var keys = List.of(CosignVerifier.Key.parse(pem(key)));
    CosignVerifier v = verifier();
    assertEquals(
        "image " + ref(DIGEST).original() + " has no cosign signature",
        v.verify(ref(DIGEST), keys, List.of()).reason());
    signed(DIGEST, DIGEST, otherKey);
    assertTrue(
        v.verify(ref(DIGEST), keys, List.of())
            .reason()
            .endsWith("is not signed by any key of spec.imagePolicy"));
    signed(DIGEST, OTHER, key);
    assertFalse(
        v.verify(ref(DIGEST), keys, List.of()).verified(),
        "a signature of another digest does not cover this one");
    signed(DIGEST, DIGEST, key);
    assertTrue(v.verify(ref(DIGEST), keys, List.of()).verified());
    assertTrue(
        v.verify(ref(DIGEST), keys, List.of(AttestationType.slsaprovenance1))
            .reason()
            .endsWith("has no attestations"));
    attested(DIGEST, AttestationType.cyclonedx.predicateType(), key);
    assertTrue(
        v.verify(ref(DIGEST), keys, List.of(AttestationType.slsaprovenance1))
            .reason()
            .contains("has no slsaprovenance1 attestation"));
    attested(DIGEST, AttestationType.slsaprovenance1.predicateType(), otherKey);
    assertFalse(
        v.verify(ref(DIGEST), keys, List.of(AttestationType.slsaprovenance1)).verified(),
        "an attestation by another key does not count");
  }

  @Test
  void aBlobThatDoesNotMatchItsDigestIsAnErrorNotAPass() throws Exception {
    signed(DIGEST, DIGEST, key);
    served.replaceAll(
        (path, body) ->
            path.contains("/blobs/") ? "tampered".getBytes(StandardCharsets.UTF_8) : body);
    assertThrows(
        IOException.class,
        () ->
            verifier().verify(ref(DIGEST), List.of(CosignVerifier.Key.parse(pem(key))), List.of()));
  }

  @Test
  void referencesParseAsRuntimesReadThem() {
    ImageRef hub = ImageRef.parse("nginx:1.27");
    assertEquals("docker.io", hub.registry());
    assertEquals("library/nginx", hub.repository());
    assertFalse(hub.pinned());
    assertEquals("https://registry-1.docker.io", hub.baseUrl());
    ImageRef local = ImageRef.parse("127.0.0.1:5000/slipway/app:1@" + DIGEST);
    assertEquals("slipway/app", local.repository());
    assertEquals(DIGEST, local.digest());
    assertEquals("http://127.0.0.1:5000", local.baseUrl());
    assertEquals("https://ghcr.io", ImageRef.parse("ghcr.io/a/b@" + DIGEST).baseUrl());
    assertThrows(IllegalArgumentException.class, () -> ImageRef.parse("a/b@sha256:short"));
  }
}
