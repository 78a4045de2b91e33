package dev.slipway.controller.evidence;

import dev.slipway.controller.kube.Sha256;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * The Ed25519 key that signs evidence, and the public half that verifies it. Keys are the JDK's;
 * signing is BouncyCastle's, some 15 times faster than the JDK's here (a third of a canary's CPU
 * went to signing). Ed25519 signatures are deterministic (RFC 8032), so both give the same bytes
 * and anything verifies them with the JDK alone, as the plugin does.
 */
public final class EvidenceKeys {
  private final PrivateKey privateKey;
  private final PublicKey publicKey;

  /** Made on the first signature: the plugin, which only verifies, ships without BouncyCastle. */
  private volatile Ed25519Signer signer;

  private EvidenceKeys(PrivateKey privateKey, PublicKey publicKey) {
    this.privateKey = privateKey;
    this.publicKey = publicKey;
  }

  public static EvidenceKeys generate() {
    try {
      KeyPair kp = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
      return new EvidenceKeys(kp.getPrivate(), kp.getPublic());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Ed25519 unavailable in this JDK", e);
    }
  }

  /** From base64 PKCS#8 (private) and X.509 (public) DER, as stored in the key Secret. */
  public static EvidenceKeys decode(String privateB64, String publicB64) {
    try {
      KeyFactory kf = KeyFactory.getInstance("Ed25519");
      return new EvidenceKeys(
          kf.generatePrivate(
              new PKCS8EncodedKeySpec(Base64.getDecoder().decode(privateB64.strip()))),
          publicKey(publicB64));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "the evidence key is not a valid Ed25519 key pair: " + e.getMessage(), e);
    }
  }

  /** A public key from base64 X.509 DER or PEM text. */
  public static PublicKey publicKey(String text) {
    String b64 = text.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    try {
      return KeyFactory.getInstance("Ed25519")
          .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(b64)));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IllegalArgumentException("not an Ed25519 public key: " + e.getMessage(), e);
    }
  }

  public String privateBase64() {
    return Base64.getEncoder().encodeToString(privateKey.getEncoded());
  }

  public String publicBase64() {
    return Base64.getEncoder().encodeToString(publicKey.getEncoded());
  }

  public String publicPem() {
    return pem(publicKey);
  }

  public static String pem(PublicKey key) {
    return "-----BEGIN PUBLIC KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
            .encodeToString(key.getEncoded())
        + "\n-----END PUBLIC KEY-----\n";
  }

  public PublicKey publicKey() {
    return publicKey;
  }

  public String keyId() {
    return keyId(publicKey);
  }

  /** SHA-256 of the public key's X.509 encoding, hex: names the key in every record. */
  public static String keyId(PublicKey key) {
    return Sha256.hex(key.getEncoded());
  }

  public String sign(byte[] message) {
    Ed25519Signer s = signer;
    if (s == null) {
      signer = s = new Ed25519Signer(privateKey);
    }
    return s.sign(message);
  }

  public static boolean verify(PublicKey key, byte[] message, String signatureB64) {
    try {
      Signature s = Signature.getInstance("Ed25519");
      s.initVerify(key);
      s.update(message);
      return s.verify(Base64.getDecoder().decode(signatureB64));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return false;
    }
  }

  @Override
  public String toString() {
    return "EvidenceKeys[" + keyId() + "]";
  }
}
