package dev.slipway.controller.notify;

import java.util.Set;

/**
 * Where notifications go, as the controller's ConfigMap names it. Credentials are never inline: the
 * URL (a Slack webhook is a credential) and an Authorization header may come from Secrets of the
 * controller's namespace that are marked for it ({@link SinkConfig#SECRET_OPT_IN}).
 *
 * @param on the categories sent (transition, verdict, manual); empty means all
 * @param namespaces the namespaces whose Rollouts may opt in; empty means any (the operator
 *     decides, since a sink may be another team's channel or an auditor's endpoint)
 */
public record Sink(
    String name,
    Kind kind,
    String url,
    SecretRef urlFrom,
    SecretRef authorizationFrom,
    Set<String> on,
    Set<String> namespaces) {
  public enum Kind {
    cloudevents,
    slack
  }

  public Sink(
      String name,
      Kind kind,
      String url,
      SecretRef urlFrom,
      SecretRef authorizationFrom,
      Set<String> on) {
    this(name, kind, url, urlFrom, authorizationFrom, on, Set.of());
  }

  /** Whether a Rollout of this namespace may opt in: the operator's list, when there is one. */
  public boolean serves(String namespace) {
    return namespaces == null || namespaces.isEmpty() || namespaces.contains(namespace);
  }

  public record SecretRef(String name, String key) {}

  public boolean wants(String category) {
    return on == null || on.isEmpty() || on.contains(category);
  }
}
