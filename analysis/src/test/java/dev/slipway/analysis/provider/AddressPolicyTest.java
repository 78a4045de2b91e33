package dev.slipway.analysis.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ConnectException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

class AddressPolicyTest {
  /**
   * A fixed DNS of documentation addresses (RFC 5737): no lookup leaves the test, and nothing is
   * ever contacted.
   */
  static final Map<String, String> DNS =
      Map.of(
          "prometheus.monitoring.svc", "198.51.100.34",
          "thanos.example.com", "203.0.113.7",
          "sneaky.example.com", "169.254.169.254",
          "api.example.com", "198.51.100.1",
          "127.0.0.1", "127.0.0.1",
          "198.51.100.1", "198.51.100.1",
          "169.254.169.254", "169.254.169.254",
          "fe80::1", "fe80::1");

  static AddressPolicy policy(String allow) {
    return AddressPolicy.of(
        allow,
        "198.51.100.1",
        host -> {
          String ip = DNS.get(host);
          if (ip == null) throw new UnknownHostException(host);
          return List.of(InetAddress.getByName(ip));
        });
  }

  static String refusal(AddressPolicy p, String url) {
    return p.refusal(URI.create(url));
  }

  @Test
  void metadataLinkLocalAndTheApiServerAreRefusedByDefault() {
    AddressPolicy p = policy("");
    assertTrue(
        refusal(p, "http://169.254.169.254/latest/meta-data")
            .contains("link-local or a metadata address"));
    assertTrue(
        refusal(p, "http://sneaky.example.com:9090").contains("resolves to 169.254.169.254"),
        "a name is judged by where it resolves");
    assertTrue(refusal(p, "http://[fe80::1]:9090").contains("link-local"));
    assertTrue(refusal(p, "http://metadata.google.internal").contains("metadata service"));
    assertTrue(refusal(p, "https://kubernetes.default.svc.cluster.local").contains("API server"));
    assertTrue(refusal(p, "https://api.example.com:443").contains("the Kubernetes API server"));
    assertTrue(refusal(p, "https://198.51.100.1").contains("the Kubernetes API server"));
    assertNull(
        refusal(p, "http://198.51.100.1:9090"), "another port of that address is another server");
    assertTrue(refusal(p, "http://nowhere.invalid:9090").contains("does not resolve"));
    assertNull(refusal(p, "http://prometheus.monitoring.svc:9090"));
    assertNull(refusal(p, "http://127.0.0.1:9090"));
  }

  @Test
  void anAllowListAdmitsOnlyWhatMatchesAndNeverTheDefaults() {
    AddressPolicy p = policy("*.monitoring.svc, 203.0.113.0/24, https://thanos.example.com/api/");
    assertNull(refusal(p, "http://prometheus.monitoring.svc:9090"), "a *.suffix name");
    assertNull(refusal(p, "http://thanos.example.com:9090"), "a CIDR, by resolved address");
    assertNull(refusal(p, "https://thanos.example.com/api/v1"), "a URL prefix");
    assertTrue(
        refusal(p, "http://127.0.0.1:9090")
            .contains("not in the controller's provider allow-list"));
    AddressPolicy tryingMetadata = policy("169.254.0.0/16");
    assertTrue(
        refusal(tryingMetadata, "http://169.254.169.254").contains("link-local"),
        "the defaults cannot be allowed back");
  }

  @Test
  void upstreamTextIsStrippedAndBoundedForTheLog() {
    String hostile = "bad\u0000query\r\nX-Forged: yes\u202e" + "x".repeat(5000);
    String clean = UpstreamText.clean(hostile);
    assertTrue(clean.length() <= UpstreamText.MAX, clean.length() + "");
    assertTrue(clean.chars().noneMatch(c -> Character.isISOControl(c) || c == 0x202e), clean);
    assertTrue(clean.startsWith("bad query X-Forged: yes"), clean);
    assertEquals("", UpstreamText.clean(null));
  }

  @Test
  void aConnectionFailureIsNamedByItsKindNeverItsMessage() {
    assertEquals(
        "connection refused",
        UpstreamText.connection(new RuntimeException("x", new ConnectException("db_password=1"))));
    assertEquals(
        "unknown host", UpstreamText.connection(new UnknownHostException("secret.internal")));
    assertEquals(
        "TLS failure",
        UpstreamText.connection(new SSLHandshakeException("cert for secret.internal")));
    assertEquals(
        "connection failed", UpstreamText.connection(new IllegalStateException("db_password=1")));
  }
}
