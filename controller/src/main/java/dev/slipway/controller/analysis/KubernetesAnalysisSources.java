package dev.slipway.controller.analysis;

import dev.slipway.api.v1alpha1.AnalysisTemplate;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/** Templates and Secrets read from the API server when a run starts, so RBAC governs both. */
public final class KubernetesAnalysisSources implements AnalysisSources {
  private final KubernetesClient client;

  public KubernetesAnalysisSources(KubernetesClient client) {
    this.client = client;
  }

  @Override
  public AnalysisTemplate template(String namespace, String name) {
    return client.resources(AnalysisTemplate.class).inNamespace(namespace).withName(name).get();
  }

  @Override
  public Map<String, String> secret(String namespace, String name) {
    Secret s = client.secrets().inNamespace(namespace).withName(name).get();
    if (s == null) return null;
    Map<String, String> out = new HashMap<>();
    if (s.getData() != null) {
      s.getData().forEach((k, v) -> out.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
    }
    if (s.getStringData() != null) out.putAll(s.getStringData());
    return out;
  }
}
