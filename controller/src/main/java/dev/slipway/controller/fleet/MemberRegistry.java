package dev.slipway.controller.fleet;

import dev.slipway.controller.evidence.EvidenceKeys;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The member clusters a hub reaches, as Argo CD registers clusters: Secrets in the Release's
 * namespace, labelled, each holding a kubeconfig (key {@code kubeconfig}) and the member
 * controller's evidence public key (key {@code publicKey}, PEM or base64), pinned at registration
 * so that a member cannot vouch for its own records. One client per Secret, rebuilt when the Secret
 * changes; short timeouts, so that an unreachable member costs a pass seconds, not minutes.
 */
public final class MemberRegistry implements AutoCloseable {
  public static final String KUBECONFIG = "kubeconfig";
  public static final String PUBLIC_KEY = "publicKey";
  private static final java.util.regex.Pattern COMMA = java.util.regex.Pattern.compile(",");

  /**
   * One registered member; {@code problem} says why it cannot be used (then client or key is null).
   */
  public record Member(
      String name,
      Map<String, String> labels,
      KubernetesClient client,
      PublicKey key,
      String problem) {}

  private record Cached(String uid, String resourceVersion, KubernetesClient client) {}

  private final KubernetesClient hub;
  private final Duration timeout;
  private final Map<String, Cached> clients = new ConcurrentHashMap<>();

  public MemberRegistry(KubernetesClient hub, Duration timeout) {
    this.hub = hub;
    this.timeout = timeout;
  }

  /** The members registered in the namespace whose Secrets carry the selector's labels. */
  public List<Member> members(String namespace, String selector) {
    List<Member> members = new ArrayList<>();
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (Secret s :
        hub.secrets().inNamespace(namespace).withLabels(labels(selector)).list().getItems()) {
      members.add(member(s));
      seen.add(namespace + "/" + s.getMetadata().getName());
    }
    // A registration removed: its client goes with it.
    clients
        .entrySet()
        .removeIf(
            e -> {
              boolean gone = e.getKey().startsWith(namespace + "/") && !seen.contains(e.getKey());
              if (gone) e.getValue().client().close();
              return gone;
            });
    return members;
  }

  private Member member(Secret s) {
    String name = s.getMetadata().getName();
    Map<String, String> labels =
        s.getMetadata().getLabels() == null ? Map.of() : s.getMetadata().getLabels();
    String kubeconfig = value(s, KUBECONFIG);
    if (kubeconfig == null) {
      return new Member(name, labels, null, null, "its Secret has no " + KUBECONFIG);
    }
    PublicKey key = null;
    String keyProblem = null;
    String keyText = value(s, PUBLIC_KEY);
    if (keyText == null) {
      keyProblem = "its Secret has no " + PUBLIC_KEY + " to verify its evidence with";
    } else {
      try {
        key = EvidenceKeys.publicKey(keyText);
      } catch (IllegalArgumentException e) {
        keyProblem = "its Secret's " + PUBLIC_KEY + ": " + e.getMessage();
      }
    }
    String id = s.getMetadata().getNamespace() + "/" + name;
    Cached c = clients.get(id);
    if (c == null
        || !c.uid().equals(s.getMetadata().getUid())
        || !c.resourceVersion().equals(s.getMetadata().getResourceVersion())) {
      KubernetesClient client;
      try {
        Config config = Config.fromKubeconfig(kubeconfig);
        config.setConnectionTimeout((int) timeout.toMillis());
        config.setRequestTimeout((int) timeout.toMillis());
        // One try per pass: the next pass is the retry, and a held wave says why meanwhile.
        config.setRequestRetryBackoffLimit(0);
        client = new KubernetesClientBuilder().withConfig(config).build();
      } catch (RuntimeException e) {
        return new Member(name, labels, null, null, "its kubeconfig: " + e.getMessage());
      }
      Cached old =
          clients.put(
              id,
              new Cached(s.getMetadata().getUid(), s.getMetadata().getResourceVersion(), client));
      if (old != null) old.client().close();
      c = clients.get(id);
    }
    return new Member(name, labels, c.client(), key, keyProblem);
  }

  private static String value(Secret s, String key) {
    if (s.getStringData() != null && s.getStringData().get(key) != null) {
      return s.getStringData().get(key);
    }
    if (s.getData() == null || s.getData().get(key) == null) return null;
    return new String(Base64.getDecoder().decode(s.getData().get(key)), StandardCharsets.UTF_8);
  }

  /** "a=b,c=d" as a map; the selector of a Release is equality-based. */
  static Map<String, String> labels(String selector) {
    Map<String, String> m = new LinkedHashMap<>();
    for (String part : COMMA.splitAsStream(selector).toList()) {
      String p = part.strip();
      if (p.isEmpty()) continue;
      int eq = p.indexOf('=');
      if (eq < 0) throw new IllegalArgumentException("not key=value: " + p);
      m.put(p.substring(0, eq).strip(), p.substring(eq + 1).replaceFirst("^=", "").strip());
    }
    return m;
  }

  @Override
  public void close() {
    clients.values().forEach(c -> c.client().close());
    clients.clear();
  }
}
