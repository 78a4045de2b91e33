package dev.slipway.controller.dashboard;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which requests the dashboard answers. Binding to loopback keeps other machines out, but not a web
 * page in the user's own browser: by DNS rebinding, {@code evil.example.com} can come to resolve to
 * 127.0.0.1, and its scripts could then read every Rollout the dashboard can. Such a request still
 * names the foreign host in {@code Host} (and in {@code Origin} when it carries one), so only the
 * names the dashboard is meant to be reached by are answered, as {@code kubectl proxy
 * --accept-hosts} does: loopback names with its own port for the plugin's; loopback names on any
 * port (kubectl port-forward picks the local one) and the hosts the operator names (an Ingress
 * behind their own sign-in) for the one in the cluster.
 */
public final class HostPolicy {
  private static final Set<String> NAMES = Set.of("127.0.0.1", "localhost", "[::1]");
  private static final int ANY_PORT = -1;

  private final int port;
  private final Set<String> hosts;

  private HostPolicy(int port, Set<String> hosts) {
    this.port = port;
    this.hosts = hosts.stream().map(h -> h.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
  }

  /** The plugin's: loopback names with the dashboard's own port. */
  public static HostPolicy loopback(int port) {
    return new HostPolicy(port, Set.of());
  }

  /** The cluster's: loopback names on any port (port-forward), and {@code hosts} exactly. */
  public static HostPolicy forwardedOr(Set<String> hosts) {
    return new HostPolicy(ANY_PORT, hosts);
  }

  /** Why this request is refused, or empty when it is addressed to this dashboard. */
  public Optional<String> refusal(String host, String origin) {
    if (host == null || !accepted(host)) {
      return Optional.of(
          "this dashboard answers only requests to "
              + expected()
              + ", not Host "
              + (host == null ? "(none)" : quoted(host)));
    }
    if (origin != null && !acceptedOrigin(origin)) {
      return Optional.of("this dashboard answers only its own pages, not Origin " + quoted(origin));
    }
    return Optional.empty();
  }

  private String expected() {
    String loopback =
        "127.0.0.1, localhost or [::1]"
            + (port == ANY_PORT ? " (kubectl port-forward)" : " on port " + port);
    return hosts.isEmpty()
        ? loopback
        : loopback + " or " + String.join(", ", hosts.stream().sorted().toList());
  }

  private boolean accepted(String authority) {
    String a = authority.toLowerCase(Locale.ROOT);
    return isLocal(a) || hosts.contains(a);
  }

  /** Pages served by the dashboard itself: over http on loopback, http or https on a named host. */
  private boolean acceptedOrigin(String origin) {
    String o = origin.toLowerCase(Locale.ROOT);
    if (o.startsWith("http://")) return accepted(o.substring(7));
    return o.startsWith("https://") && hosts.contains(o.substring(8));
  }

  /**
   * {@code name:port} with a loopback name; a bare name only on port 80, where browsers omit it.
   */
  private boolean isLocal(String a) {
    int colon = a.lastIndexOf(':');
    if (colon > a.lastIndexOf(']')) {
      return NAMES.contains(a.substring(0, colon))
          && (port == ANY_PORT
              ? a.substring(colon + 1).matches("[0-9]{1,5}")
              : a.substring(colon + 1).equals(String.valueOf(port)));
    }
    return (port == 80 || port == ANY_PORT) && NAMES.contains(a);
  }

  /** The header as sent, cut short: it is echoed to whoever sent it, never anywhere else. */
  private static String quoted(String value) {
    String v = value.length() > 100 ? value.substring(0, 100) + "…" : value;
    return "\"" + v.replaceAll("\\p{Cntrl}", "?") + "\"";
  }
}
