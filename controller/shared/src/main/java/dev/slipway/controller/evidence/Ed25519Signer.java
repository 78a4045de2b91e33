package dev.slipway.controller.evidence;

import java.io.IOException;
import java.security.PrivateKey;
import java.util.Base64;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;

/**
 * BouncyCastle's Ed25519 signing for one key (thread-safe: each signature has its own signer
 * state).
 */
final class Ed25519Signer {
  private final Ed25519PrivateKeyParameters key;

  Ed25519Signer(PrivateKey key) {
    this.key = new Ed25519PrivateKeyParameters(seed(key), 0);
  }

  String sign(byte[] message) {
    var s = new org.bouncycastle.crypto.signers.Ed25519Signer();
    s.init(true, key);
    s.update(message, 0, message.length);
    return Base64.getEncoder().encodeToString(s.generateSignature());
  }

  /**
   * The 32-byte seed inside a PKCS#8 Ed25519 key (RFC 8410: an OCTET STRING inside the privateKey
   * field).
   */
  private static byte[] seed(PrivateKey key) {
    try {
      var info = PrivateKeyInfo.getInstance(key.getEncoded());
      return ASN1OctetString.getInstance(info.parsePrivateKey()).getOctets();
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("not an Ed25519 private key: " + e.getMessage(), e);
    }
  }
}
