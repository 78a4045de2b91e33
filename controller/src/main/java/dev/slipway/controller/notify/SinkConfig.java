package dev.slipway.controller.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parses the sinks of ConfigMap {@value #CONFIG_MAP} (key {@value #KEY}) in the controller's
 * namespace. A bad sink is reported by name with what is wrong; the good ones still work. Pure.
 *
 * <pre>
 * - name: audit            # what a Rollout's slipway.dev/notify annotation names
 *   type: cloudevents      # CloudEvents 1.0, structured JSON, over HTTP POST
 *   url: https://events.example.com/slipway
 *   authorizationFrom: {secret: audit-token, key: header}   # optional
 *   on: [transition, verdict, manual]                       # optional; default all
 *   namespaces: [payments, checkout]                        # optional; default any namespace may opt in
 * - name: team
 *   type: slack            # a Slack-compatible incoming webhook: {"text": ...}
 *   urlFrom: {secret: team-webhook, key: url}
 * </pre>
 */
public final class SinkConfig {
  public static final String CONFIG_MAP = "slipway-notifications";
  public static final String KEY = "sinks.yaml";

  /** A Secret must carry this label, set to "true", before its values are used for a sink. */
  public static final String SECRET_OPT_IN = "slipway.dev/notification-credentials";

  /** The Rollout annotation that opts in: sink names, comma-separated. */
  public static final String ANNOTATION = "slipway.dev/notify";

  static final Set<String> CATEGORIES =
      Set.of(NotificationEvent.TRANSITION, NotificationEvent.VERDICT, NotificationEvent.MANUAL);
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  /** The sinks that parsed, by name, and one line per problem. */
  public record Parsed(Map<String, Sink> sinks, List<String> problems) {}

  private SinkConfig() {}

  public static Parsed parse(String yaml) {
    Map<String, Sink> sinks = new LinkedHashMap<>();
    List<String> problems = new ArrayList<>();
    if (yaml == null || yaml.isBlank()) return new Parsed(sinks, problems);
    JsonNode root;
    try {
      root = YAML.readTree(yaml);
    } catch (JsonProcessingException e) {
      problems.add(KEY + " is not YAML: " + e.getOriginalMessage());
      return new Parsed(sinks, problems);
    }
    if (root == null || !root.isArray()) {
      problems.add(KEY + " must be a list of sinks");
      return new Parsed(sinks, problems);
    }
    int i = 0;
    for (JsonNode n : root) {
      String where = "sink " + i++;
      String name = text(n, "name");
      if (name == null) {
        problems.add(where + ": name is required");
        continue;
      }
      where = "sink " + name;
      Sink.Kind kind;
      try {
        kind = Sink.Kind.valueOf(String.valueOf(text(n, "type")));
      } catch (IllegalArgumentException e) {
        problems.add(where + ": type must be cloudevents or slack, not " + text(n, "type"));
        continue;
      }
      String url = text(n, "url");
      Sink.SecretRef urlFrom = ref(n.get("urlFrom"));
      if ((url == null) == (urlFrom == null)) {
        problems.add(where + ": set exactly one of url and urlFrom");
        continue;
      }
      if (url != null && !(url.startsWith("http://") || url.startsWith("https://"))) {
        problems.add(where + ": url must be http:// or https://");
        continue;
      }
      if ((n.has("urlFrom") && urlFrom == null)
          || (n.has("authorizationFrom") && ref(n.get("authorizationFrom")) == null)) {
        problems.add(where + ": a secret reference needs secret and key");
        continue;
      }
      Set<String> on = new LinkedHashSet<>();
      if (n.has("on")) n.get("on").forEach(c -> on.add(c.asText()));
      Set<String> unknown = new LinkedHashSet<>(on);
      unknown.removeAll(CATEGORIES);
      if (!unknown.isEmpty()) {
        problems.add(where + ": unknown categories " + unknown + " (transition, verdict, manual)");
        continue;
      }
      if (sinks.containsKey(name)) {
        problems.add(where + ": defined twice; the first is used");
        continue;
      }
      Set<String> namespaces = new LinkedHashSet<>();
      if (n.has("namespaces")) n.get("namespaces").forEach(x -> namespaces.add(x.asText()));
      sinks.put(
          name,
          new Sink(
              name,
              kind,
              url,
              urlFrom,
              ref(n.get("authorizationFrom")),
              Set.copyOf(on),
              Set.copyOf(namespaces)));
    }
    return new Parsed(sinks, problems);
  }

  /** The sink names a Rollout's annotation opts into, in order, without blanks. */
  public static List<String> optedIn(Map<String, String> annotations) {
    String v = annotations == null ? null : annotations.get(ANNOTATION);
    if (v == null) return List.of();
    return Arrays.stream(v.split(","))
        .map(String::strip)
        .filter(s -> !s.isEmpty())
        .distinct()
        .toList();
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() || v.asText().isBlank() ? null : v.asText();
  }

  private static Sink.SecretRef ref(JsonNode n) {
    if (n == null) return null;
    String secret = text(n, "secret");
    String key = text(n, "key");
    return secret == null || key == null ? null : new Sink.SecretRef(secret, key);
  }
}
