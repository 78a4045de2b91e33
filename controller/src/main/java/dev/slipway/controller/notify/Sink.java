package dev.slipway.controller.notify;

import java.util.Set;

/**
 * Where notifications go, as the controller's ConfigMap names it. Credentials are never inline:
 * the URL (a Slack webhook is a credential) and an Authorization header may come from Secrets of
 * the controller's namespace that are marked for it ({@link SinkConfig#SECRET_OPT_IN}).
 *
 * @param on the categories sent (transition, verdict, manual); empty means all
 */
public record Sink(String name, Kind kind, String url, SecretRef urlFrom, SecretRef authorizationFrom, Set<String> on) {
  public enum Kind { cloudevents, slack }

  public record SecretRef(String name, String key) {}

  public boolean wants(String category) {
    return on == null || on.isEmpty() || on.contains(category);
  }
}
