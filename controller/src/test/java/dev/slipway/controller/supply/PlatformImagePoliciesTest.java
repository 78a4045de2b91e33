package dev.slipway.controller.supply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.api.v1alpha1.ImagePolicy;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The platform's image policies as written in ConfigMap slipway-image-policies: the good ones bind
 * the namespaces they name; each bad one is named with what is wrong and binds nothing.
 */
class PlatformImagePoliciesTest {
  static String pem() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    return "-----BEGIN PUBLIC KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes())
            .encodeToString(g.generateKeyPair().getPublic().getEncoded())
        + "\n-----END PUBLIC KEY-----\n";
  }

  static String quoted(String pem) {
    return "\"" + pem.replace("\n", "\\n") + "\"";
  }

  @Test
  void goodPoliciesBindTheirNamespacesAndBadOnesAreNamed() throws Exception {
    String key = quoted(pem());
    var parsed =
        PlatformImagePolicies.parse(
            """
            - name: prod
              namespaces: [payments, checkout]
              publicKeys: [%1$s]
              attestations: [cyclonedx]
            - name: everywhere
              namespaces: ["*"]
              publicKeys: [%1$s]
            - name: no-namespaces
              publicKeys: [%1$s]
            - name: bad-key
              namespaces: [a]
              publicKeys: ["not a key"]
            - name: bad-attestation
              namespaces: [a]
              publicKeys: [%1$s]
              attestations: [sbom]
            - name: prod
              namespaces: [other]
              publicKeys: [%1$s]
            - namespaces: [a]
            """
                .formatted(key));
    assertEquals(
        List.of("prod", "everywhere"), parsed.policies().stream().map(p -> p.name()).toList());
    assertEquals(Set.of("payments", "checkout"), parsed.policies().get(0).namespaces());
    assertEquals(
        List.of(ImagePolicy.AttestationType.cyclonedx),
        parsed.policies().get(0).policy().attestationsOrEmpty());
    assertTrue(parsed.policies().get(0).binds("payments"));
    assertTrue(!parsed.policies().get(0).binds("shop"));
    assertTrue(parsed.policies().get(1).binds("shop"), "\"*\" binds every namespace");
    List<String> problems = parsed.problems();
    assertEquals(5, problems.size(), String.join("\n", problems));
    assertTrue(problems.get(0).startsWith("policy no-namespaces: namespaces is required"));
    assertTrue(problems.get(1).startsWith("policy bad-key: publicKeys: "), problems.get(1));
    assertTrue(problems.get(2).contains("unknown attestation type sbom"), problems.get(2));
    assertTrue(problems.get(3).contains("policy prod: defined twice"), problems.get(3));
    assertTrue(problems.get(4).contains("name is required"), problems.get(4));
  }

  @Test
  void nothingOrNotAListBindsNothing() {
    assertEquals(0, PlatformImagePolicies.parse(null).policies().size());
    assertEquals(0, PlatformImagePolicies.parse("").policies().size());
    var notAList = PlatformImagePolicies.parse("name: x");
    assertEquals(List.of("policies.yaml must be a list of policies"), notAList.problems());
    assertTrue(PlatformImagePolicies.parse("[: nope").problems().get(0).contains("not YAML"));
  }
}
