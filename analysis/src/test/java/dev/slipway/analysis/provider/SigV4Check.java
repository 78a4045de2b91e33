package dev.slipway.analysis.provider;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * What an AWS endpoint does with a request: recompute its Signature Version 4 from the request as
 * received and the secret key, and compare (for the test server; written from AWS's published
 * algorithm, independently of the SDK that signed).
 */
final class SigV4Check {
  private static final Pattern AUTH =
      Pattern.compile(
          "AWS4-HMAC-SHA256 Credential=([^/]+)/(\\d{8})/([^/]+)/([^/]+)/aws4_request,"
              + " ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})");

  private SigV4Check() {}

  /** Null when the signature is right for {@code secret}, else what is wrong. */
  static String problem(
      LocalApi.Request r, String accessKeyId, String secret, String region, String service)
      throws Exception {
    String auth = r.headers().get("Authorization");
    if (auth == null) return "no Authorization header";
    Matcher m = AUTH.matcher(auth);
    if (!m.matches()) return "not a SigV4 Authorization header: " + auth;
    if (!m.group(1).equals(accessKeyId)) return "signed with key " + m.group(1);
    if (!m.group(3).equals(region) || !m.group(4).equals(service)) {
      return "scoped to " + m.group(3) + "/" + m.group(4);
    }
    String amzDate = r.headers().get("X-Amz-Date");
    if (amzDate == null || !amzDate.startsWith(m.group(2))) return "X-Amz-Date does not match";
    StringBuilder canonicalHeaders = new StringBuilder();
    for (String h : m.group(5).split(";")) {
      String v = r.headers().get(h);
      if (v == null) return "signed header " + h + " not received";
      canonicalHeaders.append(h).append(':').append(v.strip().replaceAll(" +", " ")).append('\n');
    }
    String canonicalRequest =
        r.method()
            + "\n"
            + (r.path().isEmpty() ? "/" : r.path())
            + "\n"
            + (r.query() == null ? "" : r.query())
            + "\n"
            + canonicalHeaders
            + "\n"
            + m.group(5)
            + "\n"
            + hex(sha256(r.body().getBytes(StandardCharsets.UTF_8)));
    String scope = m.group(2) + "/" + region + "/" + service + "/aws4_request";
    String toSign =
        "AWS4-HMAC-SHA256\n"
            + amzDate
            + "\n"
            + scope
            + "\n"
            + hex(sha256(canonicalRequest.getBytes(StandardCharsets.UTF_8)));
    byte[] key = hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), m.group(2));
    key = hmac(key, region);
    key = hmac(key, service);
    key = hmac(key, "aws4_request");
    String expected = hex(hmac(key, toSign));
    return expected.equals(m.group(6)) ? null : "signature does not match";
  }

  private static byte[] sha256(byte[] b) throws Exception {
    return MessageDigest.getInstance("SHA-256").digest(b);
  }

  private static byte[] hmac(byte[] key, String data) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key, "HmacSHA256"));
    return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
  }

  private static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }
}
