package dev.slipway.controller.supply;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.slipway.api.v1alpha1.ImagePolicy;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Image policies the platform sets for namespaces, so a team's Rollout cannot leave one out: the
 * list in ConfigMap {@value #CONFIG_MAP} (key {@value #KEY}) of the controller's namespace, which
 * only the platform may write (the chart's imagePolicies). A Rollout in a named namespace must
 * satisfy each policy naming it, and its own spec.imagePolicy too. Read at most every {@link
 * #REREAD}; a policy that does not parse is logged by name and left out, and a ConfigMap that
 * cannot be read holds every revision (no data is never a pass).
 *
 * <pre>
 * - name: signed-in-prod
 *   namespaces: [payments, checkout]     # or ["*"]: every namespace
 *   publicKeys: ["-----BEGIN PUBLIC KEY-----\n..."]
 *   attestations: [cyclonedx]            # optional
 * </pre>
 */
public final class PlatformImagePolicies {
  public static final String CONFIG_MAP = "slipway-image-policies";
  public static final String KEY = "policies.yaml";
  static final Duration REREAD = Duration.ofSeconds(10);
  private static final Logger LOG = LoggerFactory.getLogger(PlatformImagePolicies.class);
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  /** One policy, with the namespaces it binds ("*": all). */
  public record Named(String name, Set<String> namespaces, ImagePolicy policy) {
    boolean binds(String namespace) {
      return namespaces.contains("*") || namespaces.contains(namespace);
    }
  }

  /** The policies that parsed, and one line per problem. */
  public record Parsed(List<Named> policies, List<String> problems) {}

  private final KubernetesClient client;
  private final String namespace;
  private final Clock clock;
  private volatile Parsed loaded;
  private volatile Instant loadedAt;
  private volatile List<String> logged = List.of();

  public PlatformImagePolicies(KubernetesClient client, String namespace, Clock clock) {
    this.client = client;
    this.namespace = namespace;
    this.clock = clock;
  }

  /**
   * The policies binding {@code rolloutNamespace}; throws when the ConfigMap cannot be read (the
   * caller holds the revision).
   */
  public List<Named> binding(String rolloutNamespace) {
    Instant now = clock.instant();
    if (loaded == null || !now.isBefore(loadedAt.plus(REREAD))) {
      ConfigMap cm;
      try {
        cm = client.configMaps().inNamespace(namespace).withName(CONFIG_MAP).get();
      } catch (RuntimeException e) {
        throw new IllegalStateException(
            "the platform's image policies (ConfigMap "
                + namespace
                + "/"
                + CONFIG_MAP
                + ") could not be read: "
                + e.getMessage(),
            e);
      }
      Parsed p = parse(cm == null || cm.getData() == null ? null : cm.getData().get(KEY));
      if (!p.problems().equals(logged)) {
        p.problems().forEach(x -> LOG.warn("{}/{}: {}", namespace, CONFIG_MAP, x));
        logged = p.problems();
      }
      loaded = p;
      loadedAt = now;
    }
    return loaded.policies().stream().filter(n -> n.binds(rolloutNamespace)).toList();
  }

  /** Parses the list; a bad entry is named with what is wrong, the good ones still bind. Pure. */
  public static Parsed parse(String yaml) {
    List<Named> out = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    if (yaml == null || yaml.isBlank()) return new Parsed(out, problems);
    JsonNode root;
    try {
      root = YAML.readTree(yaml);
    } catch (JsonProcessingException e) {
      problems.add(KEY + " is not YAML: " + e.getOriginalMessage());
      return new Parsed(out, problems);
    }
    if (root == null || !root.isArray()) {
      problems.add(KEY + " must be a list of policies");
      return new Parsed(out, problems);
    }
    Set<String> names = new LinkedHashSet<>();
    int i = 0;
    for (JsonNode n : root) {
      String name = n.path("name").asText("");
      String where = name.isEmpty() ? "policy " + i : "policy " + name;
      i++;
      if (name.isEmpty()) {
        problems.add(where + ": name is required");
        continue;
      }
      if (!names.add(name)) {
        problems.add(where + ": defined twice; the first is used");
        continue;
      }
      Set<String> namespaces = new LinkedHashSet<>();
      n.path("namespaces").forEach(x -> namespaces.add(x.asText()));
      if (namespaces.isEmpty()) {
        problems.add(where + ": namespaces is required (names, or \"*\" for every namespace)");
        continue;
      }
      List<String> keys = new ArrayList<>();
      n.path("publicKeys").forEach(x -> keys.add(x.asText()));
      if (keys.isEmpty() || keys.size() > 8) {
        problems.add(where + ": publicKeys needs 1 to 8 PEM public keys");
        continue;
      }
      String badKey = null;
      for (String k : keys) {
        try {
          CosignVerifier.Key.parse(k);
        } catch (IllegalArgumentException e) {
          badKey = e.getMessage();
        }
      }
      if (badKey != null) {
        problems.add(where + ": publicKeys: " + badKey);
        continue;
      }
      List<ImagePolicy.AttestationType> attestations = new ArrayList<>();
      String unknown = null;
      for (JsonNode a : n.path("attestations")) {
        try {
          attestations.add(ImagePolicy.AttestationType.valueOf(a.asText()));
        } catch (IllegalArgumentException e) {
          unknown = a.asText();
        }
      }
      if (unknown != null) {
        problems.add(
            where
                + ": unknown attestation type "
                + unknown
                + " (cyclonedx, spdxjson, slsaprovenance, slsaprovenance1, vuln)");
        continue;
      }
      out.add(
          new Named(
              name,
              Set.copyOf(namespaces),
              new ImagePolicy(List.copyOf(keys), attestations.isEmpty() ? null : attestations)));
    }
    return new Parsed(out, problems);
  }
}
