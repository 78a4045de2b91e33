package dev.slipway.controller.analysis;

import dev.slipway.analysis.provider.AddressPolicy;
import dev.slipway.api.v1alpha1.AnalysisTemplate;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * Templates and Secrets read from the API server when a run starts, so RBAC governs both.
 *
 * <p>Credentials are opted in, twice: a namespace admin binds the controller to read Secrets in
 * that namespace (ClusterRole slipway-controller-analysis-credentials), and labels each Secret
 * meant for analysis {@value #OPT_IN}=true. So a user who may create a Rollout but not read a
 * Secret cannot have the controller send that Secret to an address of her choosing; and Secrets of
 * the controller's own namespace (its signing key) are never used for anyone's Rollout.
 */
public final class KubernetesAnalysisSources implements AnalysisSources {
  public static final String OPT_IN = "slipway.dev/analysis-credentials";
  private final KubernetesClient client;
  private final String controllerNamespace;
  private final AddressPolicy policy;

  public KubernetesAnalysisSources(
      KubernetesClient client, String controllerNamespace, AddressPolicy policy) {
    this.client = client;
    this.controllerNamespace = controllerNamespace;
    this.policy = policy;
  }

  @Override
  public String providerRefusal(URI address) {
    return policy.refusal(address);
  }

  @Override
  public String jobRefusal(String namespace) {
    return namespace.equals(controllerNamespace)
        ? "Job checks never run in the controller's own namespace "
            + namespace
            + ", where a Job could run as the controller's ServiceAccount"
        : null;
  }

  @Override
  public AnalysisTemplate template(String namespace, String name) {
    return client.resources(AnalysisTemplate.class).inNamespace(namespace).withName(name).get();
  }

  @Override
  public Map<String, String> secret(String namespace, String name) {
    if (namespace.equals(controllerNamespace)) {
      throw new CredentialsRefused(
          "Secrets of the controller's own namespace "
              + namespace
              + " are never used as analysis credentials");
    }
    Secret s = client.secrets().inNamespace(namespace).withName(name).get();
    if (s == null) return null;
    String mark =
        s.getMetadata().getLabels() == null ? null : s.getMetadata().getLabels().get(OPT_IN);
    if (!"true".equals(mark)) {
      throw new CredentialsRefused(
          "Secret "
              + namespace
              + "/"
              + name
              + " is not marked for analysis credentials (a namespace admin labels it "
              + OPT_IN
              + "=true)");
    }
    Map<String, String> out = new HashMap<>();
    if (s.getData() != null) {
      s.getData()
          .forEach(
              (k, v) ->
                  out.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
    }
    if (s.getStringData() != null) out.putAll(s.getStringData());
    return out;
  }
}
