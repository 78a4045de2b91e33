package dev.slipway.controller.supply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slipway.api.v1alpha1.ImagePolicy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Verifies an image the way {@code cosign verify --key} and {@code cosign verify-attestation --key}
 * do, without a transparency log (the key is the trust root): a signature artifact (tag
 * sha256-HEX.sig) whose simple-signing payload names this digest and whose signature one of the
 * keys made; and, for each attestation type asked for, an attestation artifact (sha256-HEX.att)
 * holding a DSSE envelope signed by one of the keys, whose in-toto statement has that predicate
 * type and this digest as its subject. Every blob is checked against its digest.
 */
public final class CosignVerifier {
  static final String SIGNATURE_ANNOTATION = "dev.cosignproject.cosign/signature";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Registry registry;

  public CosignVerifier(Registry registry) {
    this.registry = registry;
  }

  /** One image's outcome: verified, with its evidence, or why not. */
  public record Result(boolean verified, String reason, Map<String, Object> evidence) {
    static Result refused(String reason) {
      return new Result(false, reason, Map.of());
    }
  }

  /** A key from its PEM, with its fingerprint (sha256 of the DER, as evidence names it). */
  public record Key(PublicKey key, String fingerprint) {
    public static Key parse(String pem) {
      String b64 = pem.replaceAll("-----(BEGIN|END) PUBLIC KEY-----", "").replaceAll("\\s", "");
      byte[] der = Base64.getDecoder().decode(b64);
      for (String alg : List.of("EC", "RSA", "Ed25519")) {
        try {
          PublicKey k = KeyFactory.getInstance(alg).generatePublic(new X509EncodedKeySpec(der));
          return new Key(k, "sha256:" + sha256(der));
        } catch (GeneralSecurityException tryNext) {
          // another algorithm
        }
      }
      throw new IllegalArgumentException("not an EC, RSA or Ed25519 public key");
    }

    boolean verifies(byte[] data, byte[] sig) {
      String alg =
          switch (key.getAlgorithm()) {
            case "EC" -> "SHA256withECDSA";
            case "RSA" -> "SHA256withRSA";
            default -> "Ed25519";
          };
      try {
        Signature s = Signature.getInstance(alg);
        s.initVerify(key);
        s.update(data);
        return s.verify(sig);
      } catch (GeneralSecurityException | IllegalArgumentException e) {
        return false;
      }
    }
  }

  /**
   * Checks one image pinned by digest. Throws IOException only when the registry could not be asked
   * (the caller's Unavailable); every other failure is a refusal with its reason.
   */
  public Result verify(ImageRef ref, List<Key> keys, List<ImagePolicy.AttestationType> required)
      throws IOException {
    String hex = ref.digest().substring("sha256:".length());
    Map<String, Object> evidence = new LinkedHashMap<>();
    evidence.put("image", ref.original());
    JsonNode sigManifest;
    try {
      sigManifest = registry.manifest(ref, ref.cosignTag("sig"));
    } catch (Registry.NotFound e) {
      return Result.refused("image " + ref.original() + " has no cosign signature");
    }
    String signedBy = null;
    String signatureDigest = null;
    for (JsonNode layer : sigManifest.path("layers")) {
      String b64 = layer.path("annotations").path(SIGNATURE_ANNOTATION).asText(null);
      if (b64 == null) continue;
      String digest = layer.path("digest").asText();
      byte[] payload = checked(ref, digest);
      Key k = signer(keys, payload, Base64.getDecoder().decode(b64));
      if (k == null) continue;
      JsonNode p = JSON.readTree(payload);
      if (!ref.digest()
          .equals(p.path("critical").path("image").path("docker-manifest-digest").asText())) {
        continue;
      }
      signedBy = k.fingerprint();
      signatureDigest = digest;
      break;
    }
    if (signedBy == null) {
      return Result.refused(
          "image " + ref.original() + " is not signed by any key of spec.imagePolicy");
    }
    evidence.put("key", signedBy);
    evidence.put("signature", signatureDigest);
    if (required.isEmpty()) return new Result(true, null, evidence);
    JsonNode attManifest;
    try {
      attManifest = registry.manifest(ref, ref.cosignTag("att"));
    } catch (Registry.NotFound e) {
      return Result.refused("image " + ref.original() + " has no attestations");
    }
    Map<String, Object> found = new LinkedHashMap<>();
    for (JsonNode layer : attManifest.path("layers")) {
      String digest = layer.path("digest").asText();
      JsonNode envelope = JSON.readTree(checked(ref, digest));
      String type = envelope.path("payloadType").asText();
      byte[] body = Base64.getDecoder().decode(envelope.path("payload").asText());
      boolean signed = false;
      for (JsonNode s : envelope.path("signatures")) {
        if (signer(keys, pae(type, body), Base64.getDecoder().decode(s.path("sig").asText()))
            != null) signed = true;
      }
      if (!signed) continue;
      JsonNode statement = JSON.readTree(body);
      boolean subject = false;
      for (JsonNode sub : statement.path("subject")) {
        if (hex.equals(sub.path("digest").path("sha256").asText())) subject = true;
      }
      if (!subject) continue;
      String predicate = statement.path("predicateType").asText();
      for (ImagePolicy.AttestationType t : required) {
        if (t.predicateType().equals(predicate) && !found.containsKey(t.name())) {
          found.put(t.name(), digest);
        }
      }
    }
    for (ImagePolicy.AttestationType t : required) {
      if (!found.containsKey(t.name())) {
        return Result.refused(
            "image "
                + ref.original()
                + " has no "
                + t.name()
                + " attestation signed by a key of spec.imagePolicy");
      }
    }
    evidence.put("attestations", found);
    return new Result(true, null, evidence);
  }

  /** A blob whose bytes match its digest (a registry that lies is caught here). */
  private byte[] checked(ImageRef ref, String digest) throws IOException {
    byte[] b = registry.blob(ref, digest);
    if (!digest.equals("sha256:" + sha256(b))) {
      throw new IOException(
          "blob " + digest + " of " + ref.repository() + " does not match its digest");
    }
    return b;
  }

  private static Key signer(List<Key> keys, byte[] data, byte[] sig) {
    for (Key k : keys) {
      if (k.verifies(data, sig)) return k;
    }
    return null;
  }

  /** DSSE's pre-authentication encoding: what an envelope's signature covers. */
  static byte[] pae(String type, byte[] body) {
    byte[] t = type.getBytes(StandardCharsets.UTF_8);
    byte[] head =
        ("DSSEv1 " + t.length + " " + type + " " + body.length + " ")
            .getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[head.length + body.length];
    System.arraycopy(head, 0, out, 0, head.length);
    System.arraycopy(body, 0, out, head.length, body.length);
    return out;
  }

  static String sha256(byte[] b) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Several images' evidence in order, for the record. */
  static List<Map<String, Object>> list(List<Result> results) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Result r : results) out.add(r.evidence());
    return out;
  }
}
