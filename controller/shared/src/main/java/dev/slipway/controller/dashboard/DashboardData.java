package dev.slipway.controller.dashboard;

import dev.slipway.api.v1alpha1.RecordEntry;
import dev.slipway.api.v1alpha1.Rollout;
import dev.slipway.controller.evidence.RecordStore;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the dashboard shows, read fresh on every request with its identity: the caller's kubeconfig
 * (and --as) for the plugin's, a read-only ServiceAccount in the cluster.
 */
public final class DashboardData {
  private static final ResourceDefinitionContext ROLLOUTS =
      ResourceDefinitionContext.fromResourceType(Rollout.class);

  private final KubernetesClient client;
  private final String namespace;

  public DashboardData(KubernetesClient client, String namespace) {
    this.client = client;
    this.namespace = namespace;
  }

  /**
   * The Rollouts: name, status (phase, state, step, weights, revisions, message, analysis,
   * conditions) and their steps.
   */
  String rolloutsJson() {
    var rollouts = client.genericKubernetesResources(ROLLOUTS);
    List<GenericKubernetesResource> items =
        namespace == null
            ? rollouts.inAnyNamespace().list().getItems()
            : rollouts.inNamespace(namespace).list().getItems();
    List<Map<String, Object>> out = new ArrayList<>();
    for (GenericKubernetesResource r : items) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("namespace", r.getMetadata().getNamespace());
      m.put("name", r.getMetadata().getName());
      m.put("status", r.getAdditionalProperties().getOrDefault("status", Map.of()));
      Object steps = dig(r.getAdditionalProperties().get("spec"), "strategy", "canary", "steps");
      m.put("steps", steps == null ? List.of() : steps);
      out.add(m);
    }
    return Serialization.asJson(out);
  }

  /**
   * The entries of the Rollout's current attempt, newest last: when, what, and a line of what they
   * say.
   */
  String evidenceJson(String ns, String name) {
    if (ns == null || name == null)
      throw new IllegalArgumentException("namespace and name are required");
    if (namespace != null && !namespace.equals(ns))
      throw new IllegalArgumentException("this dashboard shows namespace " + namespace + " only");
    var r = client.genericKubernetesResources(ROLLOUTS).inNamespace(ns).withName(name).get();
    if (r == null) throw new IllegalArgumentException("rollout " + ns + "/" + name + " not found");
    Object status = r.getAdditionalProperties().get("status");
    String revision = str(dig(status, "canaryRevision"));
    if (revision == null) revision = str(dig(status, "stableRevision"));
    Object attempt = dig(status, "attempt");
    List<Map<String, Object>> out = new ArrayList<>();
    if (revision != null) {
      for (RecordEntry e :
          RecordStore.reader(client)
              .entries(ns, name, revision, attempt instanceof Number n ? n.intValue() : 1)) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seq", e.seq());
        m.put("at", e.at());
        m.put("kind", e.kind());
        m.put("phase", e.phase());
        m.put("step", e.step() == null ? null : e.step() + 1);
        m.put("summary", summary(e));
        out.add(m);
      }
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("revision", revision);
    body.put("entries", out);
    return Serialization.asJson(body);
  }

  /** One line a person can scan: the few fields each kind is about. */
  static String summary(RecordEntry e) {
    Map<String, Object> d = e.data() == null ? Map.of() : e.data();
    List<String> parts = new ArrayList<>();
    for (String k :
        List.of(
            "from",
            "to",
            "reason",
            "canaryWeight",
            "metric",
            "value",
            "verdict",
            "action",
            "requestedBy",
            "outcome",
            "what")) {
      Object v = d.get(k);
      if (v != null && !(v instanceof Map) && !(v instanceof List)) parts.add(k + "=" + v);
    }
    return String.join(" ", parts);
  }

  static Map<String, String> query(String raw) {
    Map<String, String> q = new HashMap<>();
    if (raw == null) return q;
    for (String pair : raw.split("&", -1)) {
      int eq = pair.indexOf('=');
      if (eq > 0)
        q.put(
            URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
    }
    return q;
  }

  private static Object dig(Object o, String... path) {
    for (String p : path) {
      if (!(o instanceof Map<?, ?> m)) return null;
      o = m.get(p);
    }
    return o;
  }

  private static String str(Object o) {
    return o == null ? null : o.toString();
  }
}
