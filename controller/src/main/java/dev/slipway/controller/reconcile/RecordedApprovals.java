package dev.slipway.controller.reconcile;

import dev.slipway.api.v1alpha1.RecordEntry;
import dev.slipway.api.v1alpha1.Rollout;
import dev.slipway.controller.evidence.Evidence;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicy;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicyBinding;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link Approvals} from the evidence record (the author in the attempt's RecordOpened provenance)
 * and from the cluster's admission objects (the policy {@value #POLICY} and its binding, in Deny
 * mode, covering the namespace). Read only while a manual request is pending; the admission answer
 * is kept briefly per namespace.
 */
public final class RecordedApprovals implements Approvals {
  public static final String POLICY = "slipway-requested-by";
  static final String AUTHOR = "slipway.dev/author";
  private static final Duration KEEP = Duration.ofSeconds(20);

  private final KubernetesClient client;
  private final Evidence evidence;
  private final Clock clock;
  private final Map<String, Map.Entry<Instant, Boolean>> bound = new ConcurrentHashMap<>();

  public RecordedApprovals(KubernetesClient client, Evidence evidence, Clock clock) {
    this.client = client;
    this.evidence = evidence;
    this.clock = clock;
  }

  @Override
  public String author(Rollout r) {
    var st = r.getStatus();
    String revision =
        st == null ? null : st.canaryRevision() != null ? st.canaryRevision() : st.stableRevision();
    if (revision == null) return null;
    int attempt = st.attempt() == null ? 1 : st.attempt();
    for (RecordEntry e :
        evidence.entries(
            r.getMetadata().getNamespace(), r.getMetadata().getName(), revision, attempt)) {
      if ("RecordOpened".equals(e.kind())
          && e.data() != null
          && e.data().get("provenance") instanceof Map<?, ?> p) {
        Object a = p.get(AUTHOR);
        return a == null ? null : String.valueOf(a);
      }
    }
    return null;
  }

  @Override
  public boolean requestedByBound(String namespace) {
    Instant now = clock.instant();
    Map.Entry<Instant, Boolean> known = bound.get(namespace);
    if (known != null && now.isBefore(known.getKey())) return known.getValue();
    boolean b = check(namespace);
    bound.put(namespace, Map.entry(now.plus(KEEP), b));
    return b;
  }

  private boolean check(String namespace) {
    try {
      ValidatingAdmissionPolicy policy =
          client.resources(ValidatingAdmissionPolicy.class).withName(POLICY).get();
      ValidatingAdmissionPolicyBinding binding =
          client.resources(ValidatingAdmissionPolicyBinding.class).withName(POLICY).get();
      if (policy == null
          || binding == null
          || binding.getSpec() == null
          || !POLICY.equals(binding.getSpec().getPolicyName())
          || binding.getSpec().getValidationActions() == null
          || !binding.getSpec().getValidationActions().contains("Deny")
          || !"Fail"
              .equals(
                  policy.getSpec().getFailurePolicy() == null
                      ? "Fail"
                      : policy.getSpec().getFailurePolicy())) {
        return false;
      }
      var match = binding.getSpec().getMatchResources();
      if (match == null || match.getNamespaceSelector() == null) return true;
      Namespace ns = client.namespaces().withName(namespace).get();
      return ns != null
          && matches(
              match.getNamespaceSelector(),
              ns.getMetadata().getLabels() == null ? Map.of() : ns.getMetadata().getLabels());
    } catch (KubernetesClientException e) {
      // Not readable (no RBAC, an API server before 1.30): not proven bound.
      return false;
    }
  }

  /** A label selector against labels, as the API server evaluates it. */
  static boolean matches(LabelSelector s, Map<String, String> labels) {
    if (s.getMatchLabels() != null) {
      for (var e : s.getMatchLabels().entrySet()) {
        if (!e.getValue().equals(labels.get(e.getKey()))) return false;
      }
    }
    List<LabelSelectorRequirement> exprs =
        s.getMatchExpressions() == null ? List.of() : s.getMatchExpressions();
    for (LabelSelectorRequirement r : exprs) {
      String v = labels.get(r.getKey());
      List<String> values = r.getValues() == null ? List.of() : r.getValues();
      boolean ok =
          switch (r.getOperator()) {
            case "In" -> v != null && values.contains(v);
            case "NotIn" -> v == null || !values.contains(v);
            case "Exists" -> v != null;
            case "DoesNotExist" -> v == null;
            default -> false;
          };
      if (!ok) return false;
    }
    return true;
  }
}
