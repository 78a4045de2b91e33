package dev.slipway.controller.evidence;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The signing key lives in a Secret in the controller's namespace, generated on first start if
 * absent; its public half is also published in a ConfigMap that auditors may read.
 */
public final class KeySecret {
  private static final Logger LOG = LoggerFactory.getLogger(KeySecret.class);
  public static final String DEFAULT_SECRET = "slipway-evidence-key";
  public static final String PUBLIC_CONFIGMAP = "slipway-evidence-public-key";
  static final String PRIVATE = "ed25519.key";
  static final String PUBLIC = "ed25519.pub";

  private KeySecret() {}

  public static EvidenceKeys loadOrCreate(KubernetesClient client, String namespace, String name) {
    EvidenceKeys keys = load(client, namespace, name);
    if (keys == null) {
      EvidenceKeys fresh = EvidenceKeys.generate();
      Secret s =
          new SecretBuilder()
              .withNewMetadata()
              .withName(name)
              .withNamespace(namespace)
              .addToLabels("app.kubernetes.io/part-of", "slipway")
              .endMetadata()
              .withType("Opaque")
              .addToData(PRIVATE, b64(fresh.privateBase64()))
              .addToData(PUBLIC, b64(fresh.publicBase64()))
              .build();
      try {
        client.secrets().inNamespace(namespace).resource(s).create();
        LOG.info(
            "generated evidence signing key {} in Secret {}/{}", fresh.keyId(), namespace, name);
        keys = fresh;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409) throw e;
        keys = load(client, namespace, name); // another replica won the race; use its key
      }
    }
    publish(client, namespace, keys);
    LOG.info("signing evidence with key {}", keys.keyId());
    return keys;
  }

  static EvidenceKeys load(KubernetesClient client, String namespace, String name) {
    Secret s = client.secrets().inNamespace(namespace).withName(name).get();
    if (s == null
        || s.getData() == null
        || !s.getData().containsKey(PRIVATE)
        || !s.getData().containsKey(PUBLIC)) {
      return null;
    }
    return EvidenceKeys.decode(unb64(s.getData().get(PRIVATE)), unb64(s.getData().get(PUBLIC)));
  }

  private static void publish(KubernetesClient client, String namespace, EvidenceKeys keys) {
    try {
      client
          .configMaps()
          .inNamespace(namespace)
          .resource(
              new ConfigMapBuilder()
                  .withNewMetadata()
                  .withName(PUBLIC_CONFIGMAP)
                  .withNamespace(namespace)
                  .addToLabels("app.kubernetes.io/part-of", "slipway")
                  .endMetadata()
                  .withData(Map.of("public.pem", keys.publicPem(), "keyId", keys.keyId()))
                  .build())
          .fieldManager("slipway-controller")
          .forceConflicts()
          .serverSideApply();
    } catch (KubernetesClientException e) {
      LOG.warn(
          "could not publish the evidence public key in ConfigMap {}/{}: {}",
          namespace,
          PUBLIC_CONFIGMAP,
          e.getMessage());
    }
  }

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.US_ASCII));
  }

  private static String unb64(String s) {
    return new String(Base64.getDecoder().decode(s), StandardCharsets.US_ASCII);
  }
}
