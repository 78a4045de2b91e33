package dev.slipway.controller.evidence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** The fast signer must give exactly the JDK's signatures, so records verify with the JDK alone. */
class EvidenceKeysTest {
  /** The JDK's own Ed25519 signature with the same key. */
  static String signWithJdk(EvidenceKeys keys, byte[] msg) {
    try {
      var key =
          KeyFactory.getInstance("Ed25519")
              .generatePrivate(
                  new PKCS8EncodedKeySpec(Base64.getDecoder().decode(keys.privateBase64())));
      var s = Signature.getInstance("Ed25519");
      s.initSign(key);
      s.update(msg);
      return Base64.getEncoder().encodeToString(s.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void signaturesAreTheJdksBytesAndVerifyWithTheJdk() {
    for (int k = 0; k < 5; k++) {
      EvidenceKeys keys = EvidenceKeys.generate();
      // Through the Secret's encoding too: that is how a running controller gets its key.
      EvidenceKeys loaded = EvidenceKeys.decode(keys.privateBase64(), keys.publicBase64());
      for (String m :
          new String[] {
            "",
            "a",
            "0".repeat(64),
            "ä€ – a longer message, as a DSSE pre-authentication encoding is".repeat(20)
          }) {
        byte[] msg = m.getBytes(StandardCharsets.UTF_8);
        String sig = loaded.sign(msg);
        assertEquals(signWithJdk(keys, msg), sig);
        assertEquals(keys.sign(msg), sig);
        assertTrue(EvidenceKeys.verify(keys.publicKey(), msg, sig));
        assertFalse(
            EvidenceKeys.verify(keys.publicKey(), (m + "x").getBytes(StandardCharsets.UTF_8), sig));
      }
    }
  }
}
